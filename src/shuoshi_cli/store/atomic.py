"""Writing an output file whole or not at all.

The file is written under a temporary name in the same folder and renamed over the target only when
complete, so a crash, a full disk or Ctrl-C never leaves a half-written workbook, letter or CSV.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from shuoshi_cli.core.errors import BadInput, IOFailure, NotFound


def _os_error(error: OSError, target: Path) -> IOFailure:
    """``errno`` lets the boundary give the reason in the user's language."""
    reason = error.strerror or str(error)
    return IOFailure("os_error", path=str(target), reason=reason, errno=error.errno)


def replace_atomically(target: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(temp_path)``, then rename the result to ``target``."""
    temp = _temp_beside(target)
    try:
        write(temp)
        os.replace(temp, target)
    except OSError as error:
        raise _os_error(error, target) from None
    finally:
        temp.unlink(missing_ok=True)
    return target


def create_new(target: Path, write: Callable[[Path], None], exists_key: str) -> Path:
    """Like ``replace_atomically``, but never over an existing file (a ledger, a backup).

    The finished file is hard-linked into place, which fails if the name is taken; on filesystems
    without hard links (FAT on a USB stick) the name is checked just before the rename.
    """
    if target.exists():
        raise BadInput(exists_key, path=str(target))
    temp = _temp_beside(target)
    try:
        write(temp)
        try:
            os.link(temp, target)
        except FileExistsError:
            raise BadInput(exists_key, path=str(target)) from None
        except OSError:
            if target.exists():
                raise BadInput(exists_key, path=str(target)) from None
            os.replace(temp, target)
    except OSError as error:
        raise _os_error(error, target) from None
    finally:
        temp.unlink(missing_ok=True)
    return target


def _temp_beside(target: Path) -> Path:
    """An empty temporary file in the target's folder (same filesystem, so renames are atomic)."""
    folder = target.resolve().parent
    if not folder.is_dir():
        raise NotFound("folder_missing", path=str(target.parent))
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise _os_error(error, target) from None
    os.close(handle)
    return Path(temp_name)
