"""Writing an output file whole or not at all.

The file is written under a temporary name in the same folder and renamed over the target only when
complete, so a crash, a full disk or Ctrl-C never leaves a half-written workbook, letter or CSV.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from shuoshi_cli.errors import IOFailure


def replace_atomically(target: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(temp_path)``, then rename the result to ``target``."""
    folder = target.resolve().parent
    if not folder.is_dir():
        raise IOFailure("os_error", path=str(target), reason="folder does not exist")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise IOFailure("os_error", path=str(target), reason=error.strerror or str(error)) from None
    os.close(handle)
    temp = Path(temp_name)
    try:
        write(temp)
        os.replace(temp, target)
    except OSError as error:
        raise IOFailure("os_error", path=str(target), reason=error.strerror or str(error)) from None
    finally:
        temp.unlink(missing_ok=True)
    return target
