"""How dates and numbers are written in each language, and how to read them back.

One module for both directions so that rendering (registry, ledger, timeline) and checking
(parity between the Japanese and English pages) cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS_EN = ("January February March April May June July August September October November December").split()


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def iso(self) -> str:
        parts = [f"{self.year:04d}"] + [f"{p:02d}" for p in (self.month, self.day) if p]
        return "-".join(parts)

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)


ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial_date(value: object) -> PartialDate:
    """Read YYYY, YYYY-MM or YYYY-MM-DD (YAML may already have made a date or an int of it)."""
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    match = ISO_PARTIAL.match(str(value).strip())
    if not match:
        raise ValueError(f"{value!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in match.groups())
    if day:
        dt.date(year, month, day)  # raises ValueError for 2024-02-30
    elif month and not 1 <= month <= 12:
        raise ValueError(f"{value!r} has no month {month}")
    return PartialDate(year, month, day)


def format_date(date: PartialDate, lang: str) -> str:
    """2024年6月19日 / 19 June 2024, at the date's own precision."""
    if lang == "ja":
        text = f"{date.year}年"
        if date.month:
            text += f"{date.month}月"
        if date.day:
            text += f"{date.day}日"
        return text
    parts = ([str(date.day)] if date.day else []) + ([MONTHS_EN[date.month - 1]] if date.month else [])
    return " ".join(parts + [str(date.year)])
