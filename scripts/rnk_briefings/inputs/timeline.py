"""The timeline (data/timeline.yml): dated events in both languages, rendered grouped by year.

An entry may give, per source, the section of the copy it rests on (`locators: {key: section}`,
checked against the registry, see registry.py). Its date is shown as inferred, by construction,
when it rests on a source date the registry marks as inferred: an entry of kind `report` dated
on a cited source's date, or an entry whose `dated_from:` names the cited source its date was
worked out from ("this June", "the 5th of next month"). Entry texts are escaped where written.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .data_files import check_choice, check_fields, fields, line_of, load_list, md_text, reporter
from .notation import PartialDate, format_date, parse_partial_date
from .site_model import LANGUAGES, Problem

INFERRED = {"ja": "（推定）", "en": " (inferred)"}

KINDS = {
    "event": {"ja": "", "en": ""},
    "forecast": {"ja": "予測", "en": "Forecast"},
    "report": {"ja": "報道・発表", "en": "Report"},
}
# What the sources cover, under every page's title, in the PDFs and in the feeds.
COVERAGE = {
    "ja": "出典が伝える最新の出来事：{date}（それ以降の出来事は扱っていない）",
    "en": "Latest event reported in the sources: {date} (later events are not covered)",
}
# After a forecast whose date has passed (by the edition's date).
PASSED = {
    "ja": "（予測の期日は過ぎたが、当サイトの出典はその結果を伝えていない）",
    "en": "(The forecast's date has passed; the sources used here report no outcome.)",
}
REQUIRED = ("date", "kind", "ja", "en", "sources")
OPTIONAL = ("end", "locators", "dated_from")


@dataclass(frozen=True)
class Event:
    date: PartialDate
    end: PartialDate | None
    kind: str
    text: dict[str, str]
    sources: tuple[str, ...]
    locators: dict[str, dict[str, str]] = field(default_factory=dict)  # source key -> language -> locator
    inferred: bool = False  # derived: the date rests on a source date the registry marks as inferred

    def when(self, lang: str) -> str:
        start = format_date(self.date, lang)
        if self.end:
            end = format_date(self.end, lang)
            start = f"{start}～{end}" if lang == "ja" else f"{start} – {end}"
        return start + (INFERRED[lang] if self.inferred else "")


def load_timeline(path: Path, source_keys) -> tuple[list[Event], list[Problem]]:
    """All events in date order, and every problem with its line.

    `source_keys` is the registry (key -> Source), or only its keys (then locators and inferred
    dates cannot be checked or derived).
    """
    sources_by_key = source_keys if isinstance(source_keys, dict) else {}
    entries, problems = load_list(path)
    events = []
    written: list[tuple[PartialDate, int]] = []  # each entry's date and line, in file order
    for entry in entries:
        data = fields(entry)
        before = len(problems)

        problem = reporter(problems, path, entry)

        check_fields(data, REQUIRED, OPTIONAL, problem, "event", {"kind": KINDS})
        check_choice(data, "kind", KINDS, problem)
        sources = data.get("sources")
        if not isinstance(sources, list):
            problem("sources", "sources must be a list", "write `sources: [key, ...]` with keys from data/sources.yml")
            sources = []
        for key in sources:
            if key not in source_keys:
                problem("sources", f"unknown source '{key}'", "use a key from data/sources.yml")
        dates = []
        for name in ("date", "end"):
            if name == "end" and data.get("end") is None:
                dates.append(None)
                continue
            try:
                dates.append(parse_partial_date(data.get(name)))
            except ValueError as error:
                problem(name, str(error), "write YYYY, YYYY-MM or YYYY-MM-DD")
        if len(problems) > before:
            continue
        start, end = dates
        if end and end.sort_key() < start.sort_key():
            problem("end", "the event ends before it starts", "swap `date` and `end`")
            continue
        worked_out = data.get("dated_from") is not None
        if data["kind"] != "forecast" and _reported_before(
            start, end, [] if worked_out else sources, sources_by_key, problem
        ):
            continue
        locators = _locators(data, sources, sources_by_key, problem)
        dated_from = data.get("dated_from")
        if dated_from is not None and dated_from not in sources:
            problem(
                "dated_from",
                f"dated_from '{dated_from}' is not one of the entry's sources",
                "name a key from `sources:`",
            )
        if len(problems) > before:
            continue
        rests_on = [sources_by_key[dated_from]] if dated_from in sources_by_key else []
        if data["kind"] == "report":  # the date of a report is its source's date
            rests_on += [sources_by_key[k] for k in sources if k in sources_by_key and sources_by_key[k].date == start]
        inferred = any(source.is_inferred("date") for source in rests_on)
        text = {"ja": data["ja"], "en": data["en"]}
        events.append(Event(start, end, data["kind"], text, tuple(sources), locators, inferred))
        written.append((start, line_of(entry, "date")))
    problems += _out_of_order(path, written)
    events.sort(key=lambda e: e.date.sort_key())
    return events, problems


def _earliest(date: PartialDate) -> dt.date:
    return dt.date(date.year, date.month or 1, date.day or 1)


def _latest(date: PartialDate) -> dt.date:
    month = date.month or 12
    return dt.date(date.year, month, date.day or calendar.monthrange(date.year, month)[1])


def _reported_before(start: PartialDate, end: PartialDate | None, sources, registry: dict, problem) -> bool:
    """An entry is dated no later than today, and an event or report no later than the latest source reporting it.

    A source dated "on or after" a day could be later, so it sets no bound. Forecasts are not
    checked (they are dated when the forecast says); a date worked out from a source's date
    (`dated_from`: "the 5th of next month") may point past it, so the caller passes no sources for
    it. True when a problem was reported.
    """
    for name, date in (("date", start), ("end", end)):
        if date is None:
            continue
        if _earliest(date) > dt.date.today():
            problem(
                name,
                f"the entry {'ends' if name == 'end' else 'is dated'} {date.iso()}, in the future",
                "an event is dated when it happened, as a source reports it: correct the date, "
                "or make it `kind: forecast` if a source expects it",
            )
            return True
        bounds = [registry[k] for k in sources if k in registry]
        if not bounds or any(source.date_bound == "on-or-after" for source in bounds):
            continue
        latest = max(bounds, key=lambda source: _latest(source.date))
        if _earliest(date) > _latest(latest.date):
            problem(
                name,
                f"the entry {'ends' if name == 'end' else 'is dated'} {date.iso()}, after every source that reports it "
                f"(the latest, @{latest.key}, is dated {latest.date.iso()})",
                "an event cannot be dated after the source that reports it: check the date against the "
                "source, or make it `kind: forecast` if the source expects it",
            )
            return True
    return False


def _out_of_order(path: Path, written: list[tuple[PartialDate, int]]) -> list[Problem]:
    """Entries are written in date order: each entry out of place, with where it belongs.

    The entries in place are the longest run in date order (so one entry moved gives one message).
    """
    keys = [date.sort_key() for date, _ in written]
    tails: list[tuple] = []  # (key, index) ending the best run of each length
    previous: list[int | None] = []
    for index, key in enumerate(keys):
        at = bisect.bisect_right([k for k, _ in tails], key)
        previous.append(tails[at - 1][1] if at else None)
        if at == len(tails):
            tails.append((key, index))
        else:
            tails[at] = (key, index)
    in_place: set[int] = set()
    index = tails[-1][1] if tails else None
    while index is not None:
        in_place.add(index)
        index = previous[index]
    problems = []
    for index, (date, line) in enumerate(written):
        if index in in_place:
            continue
        later = next((i for i in sorted(in_place) if keys[i] > keys[index]), None)
        place = (
            f"move it before the entry dated {written[later][0].iso()} (line {written[later][1]})"
            if later is not None
            else f"move it after the entry dated {written[max(in_place)][0].iso()} (line {written[max(in_place)][1]})"
        )
        problems.append(
            Problem(
                str(path),
                line,
                f"the entry dated {date.iso()} is out of date order",
                f"entries are in date order: {place}",
            )
        )
    return problems


def _locators(data: dict, sources: list, registry: dict, problem) -> dict[str, dict[str, str]]:
    """`locators: {key: section}` checked against the registry, as each language's footnotes write them."""
    given = data.get("locators")
    if given is None:
        return {}
    if not isinstance(given, dict):
        problem(
            "locators", "locators must map source keys to sections", "write `locators: {salmon-2025: 米韓への挑発}`"
        )
        return {}
    result = {}
    for key, name in fields(given).items():
        if key not in sources:
            problem(
                "locators",
                f"locator for '{key}', which is not one of the entry's sources",
                "add it to `sources:` or remove it",
            )
        elif key in registry:
            section = registry[key].data_locator(str(name).strip())
            if section == "":
                problem("locators", *registry[key].data_locator_problem(str(name)))
            else:
                result[key] = {lang: registry[key].section_locator(section, lang) for lang in LANGUAGES}
    return result


def latest_event(events: list[Event]) -> Event | None:
    """The latest event the sources report (forecasts and reports of publication are not events)."""
    happened = [e for e in events if e.kind == "event"]
    return max(happened, key=lambda e: (e.end or e.date).sort_key(), default=None)


def coverage_text(events: list[Event], lang: str) -> str:
    """'Latest event reported in the sources: 4 April 2025 (later events are not covered)', as plain text."""
    latest = latest_event(events)
    if latest is None:
        return ""
    date = format_date(latest.end or latest.date, lang) + (INFERRED[lang] if latest.inferred else "")
    return COVERAGE[lang].format(date=date)


def has_passed(event: Event, today: dt.date | None) -> bool:
    """A forecast whose whole window lies before `today` (the edition's date)."""
    if event.kind != "forecast" or today is None:
        return False
    last = event.end or event.date  # its last day: "2024-12" runs to the end of December
    return (last.year, last.month or 12, last.day or 31) < (today.year, today.month, today.day)


def render_timeline(events: list[Event], lang: str, today: dt.date | None = None) -> str:
    """Markdown: a heading per year, a list item per event with its date, kind and citations.

    A forecast whose date has passed by `today` (the edition's date) says that the sources report
    no outcome: none of them is later than the events they cover.
    """
    lines, notes, year = [], [], None
    for number, event in enumerate(events, 1):
        if event.date.year != year:
            year = event.date.year
            lines.append(f"\n## {year}年\n" if lang == "ja" else f"\n## {year}\n")
        labels = [f"tl-{number}-{i}" for i in range(1, len(event.sources) + 1)]
        badge = KINDS[event.kind][lang]
        badge_html = f' <span class="timeline__kind timeline__kind--{event.kind}">{badge}</span>' if badge else ""
        refs = "".join(f"[^{label}]" for label in labels)
        passed = f" {PASSED[lang]}" if has_passed(event, today) else ""
        lines.append(
            f'- <span class="timeline__date">{md_text(event.when(lang))}</span>{badge_html} {md_text(event.text[lang])}{refs}{passed}'
        )
        notes += [
            f"[^{label}]: @{key}" + (f", {event.locators[key][lang]}" if key in event.locators else "")
            for label, key in zip(labels, event.sources, strict=True)
        ]
    return "\n".join(lines) + "\n\n" + "\n".join(notes) + "\n"
