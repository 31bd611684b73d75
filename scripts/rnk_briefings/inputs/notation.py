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
        try:
            dt.date(year, month, day)
        except ValueError as error:
            raise ValueError(f"{value!r} is not a date: {error}") from None
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


# ---------------------------------------------------------------------------------------------
# Numbers

JA_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?(?:億(?:\d[\d,]*)?)?(?:万(?:\d?千|\d[\d,]*)?)?")
EN_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
EN_MULTIPLIERS = {"million": 10**6, "billion": 10**9}


def format_number(value: float, lang: str) -> str:
    """1万1000 / 11,000. Japanese uses 万 and 億 from 10,000 up, with the remainder in digits."""
    if value != int(value):
        return f"{value:g}"
    n = int(value)
    if lang == "en":
        return f"{n:,}"
    if n < 10_000:
        return str(n)
    parts = []
    oku, rest = divmod(n, 10**8)
    man, rest = divmod(rest, 10**4)
    if oku:
        parts.append(f"{oku}億")
    if man:
        parts.append(f"{man}万")
    if rest:
        parts.append(str(rest))
    return "".join(parts)


def parse_ja_number(text: str) -> float:
    """The value of a Japanese numeral in digits: 1万1000, 1万1千, 60万, 3000, 2億."""
    text = text.replace(",", "")
    total = 0.0
    if "億" in text:
        head, text = text.split("億", 1)
        total += float(head) * 10**8
    if "万" in text:
        head, text = text.split("万", 1)
        total += float(head) * 10**4
    if text.endswith("千"):
        total += float(text[:-1] or 1) * 1000
    elif text:
        total += float(text)
    return total


def parse_en_number(text: str) -> float:
    """The value of an English numeral: 11,000, 3.5, optionally followed by million/billion."""
    number, _, word = text.partition(" ")
    return float(number.replace(",", "")) * EN_MULTIPLIERS.get(word, 1)
