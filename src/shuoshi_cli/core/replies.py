"""Supervision letters and the villages' replies (回复): the ``letters`` report.

A township's letter (督办函) is recorded on each case it names (``supervise ID --letter NO``), and
the village's reply on the same case (``supervise ID --letter NO --reply TEXT --reply-date DATE``),
once per letter. The report lists every letter sent in a period across the ledgers read, one row per
letter and case, each case as it stood at the period's day D and each reply only if it was given by
then: the same reading as the month's figures, so asking again later gives the same answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from shuoshi_cli.core.case import Case, Supervision
from shuoshi_cli.core.periods import Scope


@dataclass(frozen=True)
class SentLetter:
    """One letter about one case: the case at D, the letter with its reply (if given by D)."""

    village: str
    township: str
    case: Case
    letter: Supervision
    count: int  # which of the case's letters this is: 1 for the first (督办次数)

    @property
    def replied(self) -> bool:
        return self.letter.reply_on is not None


@dataclass(frozen=True)
class LettersReport:
    """Every letter sent in the period, in the order they were sent."""

    scope: Scope
    letters: tuple[SentLetter, ...]

    @property
    def replied(self) -> int:
        return sum(1 for item in self.letters if item.replied)


def sent_letters(village: str, township: str, case: Case, scope: Scope) -> list[SentLetter]:
    """The case's letters sent in the period (from its first day to D), each with its count."""
    return [
        SentLetter(village, township, case, letter, count)
        for count, letter in enumerate(case.supervisions, start=1)
        if scope.start <= letter.sent_on <= scope.as_of
    ]


def letters_report(scope: Scope, items: Iterable[SentLetter]) -> LettersReport:
    """The report: by day sent, then letter number, township, village and case."""
    ordered = sorted(
        items,
        key=lambda i: (i.letter.sent_on, i.letter.letter, i.township, i.village, i.case.id),
    )
    return LettersReport(scope, tuple(ordered))
