"""The timeline (data/timeline.yml): dated events in both languages, rendered grouped by year."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .data_files import check_fields, fields, load_list, reporter
from .notation import PartialDate, format_date, parse_partial_date
from .site_model import Problem

KINDS = {
    "event": {"ja": "", "en": ""},
    "forecast": {"ja": "予測", "en": "Forecast"},
    "report": {"ja": "報道・発表", "en": "Report"},
}
REQUIRED = ("date", "kind", "ja", "en", "sources")
OPTIONAL = ("end",)


@dataclass(frozen=True)
class Event:
    date: PartialDate
    end: PartialDate | None
    kind: str
    text: dict[str, str]
    sources: tuple[str, ...]

    def when(self, lang: str) -> str:
        start = format_date(self.date, lang)
        if not self.end:
            return start
        return f"{start}～{format_date(self.end, lang)}" if lang == "ja" else f"{start} – {format_date(self.end, lang)}"


def load_timeline(path: Path, source_keys: set[str]) -> tuple[list[Event], list[Problem]]:
    """All events in date order, and every problem with its line."""
    entries, problems = load_list(path)
    events = []
    for entry in entries:
        data = fields(entry)
        before = len(problems)

        problem = reporter(problems, path, entry)

        check_fields(data, REQUIRED, OPTIONAL, problem, "event")
        if data.get("kind") not in KINDS:
            problem("kind", f"unknown kind {data.get('kind')!r}", f"use one of: {', '.join(KINDS)}")
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
        events.append(Event(start, end, data["kind"], {"ja": data["ja"], "en": data["en"]}, tuple(sources)))
    events.sort(key=lambda e: e.date.sort_key())
    return events, problems


def render_timeline(events: list[Event], lang: str) -> str:
    """Markdown: a heading per year, a list item per event with its date, kind and citations."""
    lines, notes, year = [], [], None
    for number, event in enumerate(events, 1):
        if event.date.year != year:
            year = event.date.year
            lines.append(f"\n## {year}年\n" if lang == "ja" else f"\n## {year}\n")
        labels = [f"tl-{number}-{i}" for i in range(1, len(event.sources) + 1)]
        badge = KINDS[event.kind][lang]
        badge_html = f' <span class="timeline__kind timeline__kind--{event.kind}">{badge}</span>' if badge else ""
        refs = "".join(f"[^{label}]" for label in labels)
        lines.append(f'- <span class="timeline__date">{event.when(lang)}</span>{badge_html} {event.text[lang]}{refs}')
        notes += [f"[^{label}]: @{key}" for label, key in zip(labels, event.sources, strict=True)]
    return "\n".join(lines) + "\n\n" + "\n".join(notes) + "\n"
