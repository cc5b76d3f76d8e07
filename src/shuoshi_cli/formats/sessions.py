"""What a user sees of talk sessions (说事活动): ``session add``'s session and ``session list``'s
table and JSON. Tables are formats/table.py's (on a terminal fitted to its width, with a title and
a line of totals; piped, tab-separated rows only), as every other report's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from shuoshi_cli.core import messages
from shuoshi_cli.core.case import SessionInfo
from shuoshi_cli.formats.table import Table

if TYPE_CHECKING:  # ``session add`` needs none of the listing's reading
    from shuoshi_cli.core.periods import Scope
    from shuoshi_cli.store.sessions import HeldSession


def session_json(info: SessionInfo) -> dict[str, Any]:
    """A session as ``session add --json`` prints it."""
    return {
        "id": info.id,
        "date": info.held_on,
        "place": info.place,
        "topic": info.topic,
        "host": info.host,
    }


def held_json(item: HeldSession, swept: bool) -> dict[str, Any]:
    """A session in ``session list --json``: with ``raised``, and where it was held when the
    list covers many ledgers (``village``, ``township``, ``county`` as plain names)."""
    data = {**session_json(item.session), "raised": item.raised}
    if swept:
        data.update(village=item.village, township=item.township, county=item.county)
    return data


def _title(scope: Scope | None, lang: str) -> str:
    if scope is None:
        return messages.text("sessions_title", lang)
    return messages.text("sessions_period_title", lang, period=scope.label(lang))


def sessions_table(
    items: Sequence[HeldSession],
    scope: Scope | None,
    lang: str,
    places: Sequence[tuple[str, str, str]] | None = None,
) -> Table:
    """One row a session: its village (when ``places``, every village read, is given: named as
    ``stats --by village`` names it), number, date, place, topic, host and matters raised."""
    from shuoshi_cli.core.figures import place_names

    t = messages.text
    table = Table(title=_title(scope, lang))
    names = place_names([*places, *(i.place for i in items)]) if places is not None else None
    if names is not None:
        table.add_column(messages.field_name("village", lang))
    table.add_column(messages.field_name("id", lang), wrap=False)
    table.add_column(t("held_on", lang), wrap=False)
    for key in ("place", "topic", "host"):
        table.add_column(t(key, lang))
    table.add_column(t("sessions_raised", lang), wrap=False, right=True)
    for item in items:
        s = item.session
        row = [str(s.id), s.held_on.isoformat(), s.place, s.topic, s.host, str(item.raised)]
        table.add_row(*([names[item.place]] if names is not None else []), *row)
    return table


def sessions_total(items: Sequence[HeldSession], lang: str) -> str:
    """The line under the table: how many sessions, how many matters raised at them."""
    raised = sum(item.raised for item in items)
    return messages.text("sessions_total", lang, count=len(items), raised=raised)


def no_sessions(scope: Scope | None, lang: str) -> str:
    """What an empty list says."""
    if scope is None:
        return messages.text("no_sessions", lang)
    return messages.text("no_sessions_in_period", lang, period=scope.label(lang))
