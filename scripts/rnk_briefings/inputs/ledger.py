"""The figures ledger (data/figures.yml): key numbers written once, rendered in both languages.

Pages use a figure with `[[fig:ID]]`, which becomes its value in the page's notation (with its
qualifier and unit); the Key figures page renders the ledger as a cited table and as an SVG chart.

A figure's locator must be a section the registry lists for its source (see registry.py). Its
reported date is inferred when the registry marks its source's date as inferred, and its
`refers_to` date when `dated_from:` names such a source: derived, never an author's flag. Every
author-supplied value is escaped where it is written (data_files.md_text / html.escape).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from .data_files import attribute, check_choice, check_fields, fields, load_list, md_text, reporter
from .notation import PartialDate, format_date, format_number, parse_partial_date
from .site_model import LANGUAGES, Problem, nearest

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
INFERRED = {"ja": "（推定）", "en": " (inferred)"}

FIGURE_REF = re.compile(r"\[\[fig:([^\[\]\s]*)\]\]")
KINDS = {
    "official-statement": {"ja": "公式発表", "en": "Official statement"},
    "intelligence-estimate": {"ja": "情報機関の推定", "en": "Intelligence estimate"},
    "analyst-estimate": {"ja": "専門家の推定", "en": "Analyst's estimate"},
    "media-report": {"ja": "報道", "en": "Media report"},
}
QUALIFIERS = {
    "about": {"ja": "約{v}", "en": "about {v}"},
    "more-than": {"ja": "{v}以上", "en": "more than {v}"},
    "up-to": {"ja": "最大{v}", "en": "up to {v}"},
    "at-least": {"ja": "少なくとも{v}", "en": "at least {v}"},
    "nearly": {"ja": "{v}近く", "en": "nearly {v}"},  # 「5%近く」
    "as-many-as": {"ja": "{v}に上る", "en": "as many as {v}"},  # 「5000人に上る」
}
# unit: (Japanese counter, English singular, English plural)
UNITS = {
    "troops": ("人", "soldier", "troops"),
    "soldiers": ("人", "soldier", "soldiers"),
    "people": ("人", "person", "people"),
    "shells": ("発", "shell", "shells"),
    "rounds": ("発", "round", "rounds"),
    "km": ("キロ", "km", "km"),
    "miles": ("マイル", "mile", "miles"),
    "days": ("日間", "day", "days"),
    "hours": ("時間", "hour", "hours"),
    "percent": ("%", "%", "%"),
    "kilotons": ("キロトン", "kiloton", "kilotons"),
    "times": ("回", "time", "times"),
    "years": ("年", "year", "years"),
    "items": ("", "", ""),
}
REQUIRED = ("id", "label", "value", "unit", "refers_to", "reported", "estimated_by", "kind", "source")
OPTIONAL = ("qualifier", "locator", "dated_from")


@dataclass(frozen=True)
class Figure:
    id: str
    label: dict[str, str]
    low: float
    high: float | None
    unit: str
    refers_to: PartialDate
    reported: PartialDate
    estimated_by: dict[str, str]
    kind: str
    source: str
    qualifier: str | None = None
    locator: dict[str, str] | None = None  # per language, as a footnote writes it
    reported_inferred: bool = False  # derived: the source's date is inferred
    reported_on_or_after: bool = False  # derived: the source is dated on or after its date (registry date_bound)
    refers_to_inferred: bool = False  # derived: `dated_from` names a source whose date is inferred

    def refers_to_text(self, lang: str) -> str:
        return format_date(self.refers_to, lang) + (INFERRED[lang] if self.refers_to_inferred else "")

    def reported_text(self, lang: str) -> str:
        text = format_date(self.reported, lang)
        if self.reported_on_or_after:
            text = f"{text}以降" if lang == "ja" else f"on or after {text}"
        return text + (INFERRED[lang] if self.reported_inferred else "")

    def value(self, lang: str) -> str:
        """The figure as a page writes it: 1万1000～1万3000人 / 11,000–13,000 troops."""
        counter, singular, plural = UNITS[self.unit]
        low = format_number(self.low, lang)
        number = (
            low
            if self.high is None
            else (
                f"{low}～{format_number(self.high, 'ja')}"
                if lang == "ja"
                else f"{low}–{format_number(self.high, 'en')}"
            )
        )
        if lang == "ja":
            text = number + counter
        elif self.unit == "percent":
            text = number + "%"
        else:
            unit = singular if self.high is None and self.low == 1 else plural
            text = f"{number} {unit}".rstrip()
        return QUALIFIERS[self.qualifier][lang].format(v=text) if self.qualifier else text

    def anchor(self) -> str:
        return f"fig-{self.id}"


def _two_languages(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(value.get(lang), str) and value[lang] for lang in LANGUAGES)


def load_figures(path: Path, source_keys) -> tuple[dict[str, Figure], list[Problem]]:
    """Every figure by id, and every problem with its line.

    `source_keys` is the registry (key -> Source), or only its keys (then locators and inferred
    dates cannot be checked or derived).
    """
    sources = source_keys if isinstance(source_keys, dict) else {}
    entries, problems = load_list(path)
    figures: dict[str, Figure] = {}
    for entry in entries:
        data = fields(entry)

        problem = reporter(problems, path, entry)

        before = len(problems)
        if "reported_inferred" in data:
            problem(
                "reported_inferred",
                "'reported_inferred' is no longer written by hand",
                "delete it: a figure's reported date is shown as inferred when data/sources.yml marks its source's date as inferred",
            )
            data.pop("reported_inferred")
        if not check_fields(data, REQUIRED, OPTIONAL, problem, "figure", {"kind": KINDS, "unit": UNITS}):
            continue
        if not ID_PATTERN.match(str(data["id"])):
            problem(
                "id",
                f"figure id {str(data['id'])!r} is not lowercase ASCII with hyphens",
                "e.g. `id: nk-troops-2024-10`",
            )
        if data["id"] in figures:
            problem("id", f"duplicate figure id '{data['id']}'", "give each figure its own id")
        for name in ("label", "estimated_by"):
            if not _two_languages(data[name]):
                problem(name, f"'{name}' must give both languages", f"write `{name}: {{ja: ..., en: ...}}`")
        check_choice(data, "unit", UNITS, problem)
        check_choice(data, "kind", KINDS, problem)
        check_choice(data, "qualifier", QUALIFIERS, problem, unset_ok=True)
        if data["source"] not in source_keys:
            problem("source", f"unknown source '{data['source']}'", "use a key from data/sources.yml")
        locator = None
        source = sources.get(data["source"])
        if data.get("locator") is not None:
            name = str(data["locator"]).strip()
            if source is None:
                locator = dict.fromkeys(LANGUAGES, name)
            elif source.data_locator(name) == "":
                problem("locator", *source.data_locator_problem(name))
            else:
                section = source.data_locator(name)
                locator = {lang: source.section_locator(section, lang) for lang in LANGUAGES}
        dated_from = data.get("dated_from")
        if dated_from is not None and dated_from != data["source"]:
            problem(
                "dated_from",
                f"dated_from '{dated_from}' is not the figure's source",
                f"write `dated_from: {data['source']}` or delete it",
            )
        value = data["value"]
        is_range = isinstance(value, list) and len(value) == 2 and all(isinstance(v, (int, float)) for v in value)
        if not (isinstance(value, (int, float)) or is_range) or (is_range and value[0] >= value[1]):
            problem(
                "value",
                f"value {value!r} is neither a number nor a range [low, high]",
                "write `value: 3000` or `value: [11000, 13000]`",
            )
        dates = {}
        for name in ("refers_to", "reported"):
            try:
                dates[name] = parse_partial_date(data[name])
            except ValueError as error:
                problem(name, str(error), "write YYYY, YYYY-MM or YYYY-MM-DD")
        if len(problems) > before:
            continue
        figures[data["id"]] = Figure(
            id=data["id"],
            label=fields(data["label"]),
            low=value[0] if is_range else value,
            high=value[1] if is_range else None,
            unit=data["unit"],
            refers_to=dates["refers_to"],
            reported=dates["reported"],
            estimated_by=fields(data["estimated_by"]),
            kind=data["kind"],
            source=data["source"],
            qualifier=data.get("qualifier"),
            locator=locator,
            reported_inferred=bool(source and source.is_inferred("date")),
            reported_on_or_after=bool(
                source and source.date_bound == "on-or-after" and dates["reported"] == source.date
            ),
            refers_to_inferred=bool(source and dated_from and source.is_inferred("date")),
        )
    return figures, problems


def expand_figure_refs(
    text: str, lang: str, figures: dict[str, Figure], path: str, first_line: int
) -> tuple[str, list[Problem]]:
    """Replace every `[[fig:ID]]` by the figure's value; report unknown ids with their line."""
    problems = []
    for offset, line in enumerate(text.split("\n")):
        for match in FIGURE_REF.finditer(line):
            if match.group(1) not in figures:
                problems.append(
                    Problem(
                        path,
                        first_line + offset,
                        f"unknown figure [[fig:{match.group(1)}]]",
                        f"did you mean [[fig:{near}]]?"
                        if (near := nearest(match.group(1), figures))
                        else "use an id from data/figures.yml",
                    )
                )
    return FIGURE_REF.sub(
        lambda m: md_text(figures[m.group(1)].value(lang)) if m.group(1) in figures else m.group(0), text
    ), problems


TABLE_HEAD = {
    "ja": "| 項目 | 数値 | 時点 | 報道日 | 推定・発表の主体 | 種類 |\n|---|---|---|---|---|---|",
    "en": "| Figure | Value | As of | Reported | Estimated or stated by | Kind |\n|---|---|---|---|---|---|",
}


def render_table(figures: dict[str, Figure], lang: str) -> str:
    """The ledger as a Markdown table, one cited row per figure, in date order."""
    rows, notes = [], []
    for fig in sorted(figures.values(), key=lambda f: (f.refers_to.sort_key(), f.id)):
        cells = [
            f'<span id="{attribute(fig.anchor())}"></span>{md_text(fig.label[lang])}',
            f"{md_text(fig.value(lang))}[^{fig.anchor()}]",
            md_text(fig.refers_to_text(lang)),
            md_text(fig.reported_text(lang)),
            md_text(fig.estimated_by[lang]),
            KINDS[fig.kind][lang],
        ]
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
        notes.append(f"[^{fig.anchor()}]: @{fig.source}" + (f", {fig.locator[lang]}" if fig.locator else ""))
    return TABLE_HEAD[lang] + "\n" + "\n".join(rows) + "\n\n" + "\n".join(notes) + "\n"


CHART_WORDS = {
    "ja": (
        "ロシアに派遣された北朝鮮軍の規模と死傷者の推計",
        "各棒は出典が報じた数値（範囲は濃い部分が下限、薄い部分が上限まで）。棒を選ぶと出典一覧の該当項目に移動する。",
    ),
    "en": (
        "Reported size of North Korea's deployment to Russia and its casualties",
        "Each bar is a figure as a source reported it (for a range, the dark part is the low end and the light part runs to the high end). Select a bar to open its entry in the source list.",
    ),
}


def render_chart(figures: list[Figure], lang: str, sources_url: str, chart_id: str) -> str:
    """An accessible horizontal bar chart (inline SVG, text as text) of the chosen figures.

    A group (not role="img", which may not contain links) named by its title; each bar is a link
    to its source whose name (its <title>) is the text the bar shows.
    """
    title, description = CHART_WORDS[lang]
    width, label_width, bar_height, gap, top = 720, 300, 26, 22, 16
    scale = (width - label_width - 150) / max(f.high or f.low for f in figures)
    height = top + len(figures) * (bar_height + gap) + 10
    parts = [
        f'<svg class="figure-chart" viewBox="0 0 {width} {height}" role="group" aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{html.escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{html.escape(description)}</desc>',
    ]
    for row, fig in enumerate(figures):
        y = top + row * (bar_height + gap)
        low = fig.low * scale
        high = (fig.high or fig.low) * scale
        when = fig.refers_to_text(lang)
        parts.append(f'<a href="{attribute(sources_url)}#src-{attribute(fig.source)}">')
        short = _shorten(fig.label[lang], lang)
        # The link's name is its <title>: the same words the bar shows.
        parts.append(f"<title>{html.escape(short)} {html.escape(fig.value(lang))} {html.escape(when)}</title>")
        parts.append(
            f'<text class="figure-chart__label" x="{label_width - 8}" y="{y + bar_height * 0.7:.0f}" text-anchor="end">{html.escape(_shorten(fig.label[lang], lang))}</text>'
        )
        if high > low:
            parts.append(
                f'<rect class="figure-chart__range" x="{label_width}" y="{y}" width="{high:.1f}" height="{bar_height}"/>'
            )
        parts.append(
            f'<rect class="figure-chart__bar" x="{label_width}" y="{y}" width="{low:.1f}" height="{bar_height}"/>'
        )
        parts.append(
            f'<text class="figure-chart__value" x="{label_width + high + 6:.1f}" y="{y + bar_height * 0.7:.0f}">{html.escape(fig.value(lang))}</text>'
        )
        parts.append(
            f'<text class="figure-chart__date" x="{label_width - 8}" y="{y + bar_height + 14}" text-anchor="end">{html.escape(when)}</text>'
        )
        parts.append("</a>")
    parts.append("</svg>")
    return "".join(parts)


def _shorten(text: str, lang: str, limit_ja: int = 22, limit_en: int = 42) -> str:
    limit = limit_ja if lang == "ja" else limit_en
    return text if len(text) <= limit else text[: limit - 1] + "…"
