"""The figures ledger (data/figures.yml): key numbers written once, rendered in both languages.

Pages use a figure with `[[fig:ID]]`, which becomes its value in the page's notation (with its
qualifier and unit); the Key figures page renders the ledger as a cited table and as an SVG chart.

A figure's locator must be a section the registry lists for its source (see registry.py). Its
reported date is inferred when the registry marks its source's date as inferred, and its
`refers_to` date when `dated_from:` names such a source: derived, never an author's flag. Every
author-supplied value is escaped where it is written (data_files.md_text).
"""

from __future__ import annotations

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
    "ja": {
        "title": "ロシアに派遣された北朝鮮軍の規模と死傷者の推計",
        "desc": "各棒は出典が報じた数値（範囲は濃い部分が下限、枠だけの部分が上限まで）。棒を選ぶと出典一覧の該当項目に移動する。",
        "as_of": "{date}時点",
        "scale": "目盛り：{unit}",
        "sources": "出典：{names}。",
        "join": "、",
        "dot": "・",
    },
    "en": {
        "title": "Reported size of North Korea's deployment to Russia and its casualties",
        "desc": "Each bar is a figure as a source reported it (for a range, the solid part is the low end and the outlined part runs to the high end). Select a bar to open its entry in the source list.",
        "as_of": "as of {date}",
        "scale": "Scale: {unit}",
        "sources": "Sources: {names}.",
        "join": "; ",
        "dot": " · ",
    },
}
# The chart's geometry in CSS pixels at its natural width (it scales down with the page, never
# below 12 px type on a 390 px phone: checked by tests/test_reader.py). Every label is written in
# full, wrapped at build time by an estimate of its width (Latin letters about 0.6 em, CJK 1 em).
CHART_WIDTH = 360
CHART_TYPE = {"label": 14, "value": 14, "meta": 12.5, "tick": 12.5, "source": 12.5}
LINE = 1.5  # line height, in em (CJK fonts are about 1.45 em from ascent to descent)


def _text_width(text: str, size: float) -> float:
    return sum(size * (0.62 if ord(c) < 0x2000 else 1.0) for c in text)


# Japanese line-breaking rules (kinsoku): no line starts with closing punctuation or small kana, none
# ends with an opening bracket.
NO_LINE_START = "。、，．」』）】〕〉》・：；？！ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー々"
NO_LINE_END = "「『（【〔〈《"


def wrap_text(text: str, size: float, width: float = CHART_WIDTH) -> list[str]:
    """Lines of at most `width` px (estimated): Latin text broken at spaces, Japanese anywhere the
    kinsoku rules allow, never inside a run of Latin letters or digits."""
    tokens = re.findall(r"[ -~]+ ?|.", text) if not text.isascii() else re.findall(r"\S+ ?", text)
    lines: list[str] = []
    line: list[str] = []  # the current line's tokens
    for token in tokens:
        if line and _text_width("".join(line + [token]).rstrip(), size) > width:
            # Kinsoku: a closing mark does not start a line, an opening bracket does not end one:
            # the line's last token moves down with it.
            carried = [line.pop()] if token[0] in NO_LINE_START or line[-1][-1:] in NO_LINE_END else []
            if line:
                lines.append("".join(line).rstrip())
            line = [t.lstrip() for t in carried] if carried else []
            line.append(token if line else token.lstrip())
        else:
            line.append(token)
    return lines + ["".join(line).rstrip()] if "".join(line).strip() else lines


def _axis_max(top: float) -> tuple[float, float]:
    """A round end for the scale at or above the largest value, and its step (at most 5 steps)."""
    magnitude = 10 ** (len(str(int(top))) - 1)
    step = next(s * magnitude / 10 for s in (1, 2, 2.5, 5, 10, 20, 25, 50, 100) if top / (s * magnitude / 10) <= 5)
    return max(step, step * -(-top // step)), step  # never 0: the bars divide by it


def _chart_unit(figures: list[Figure], lang: str) -> str:
    counters = {UNITS[f.unit][0] for f in figures}
    if lang == "ja":
        return "人数" if counters == {"人"} else "・".join(sorted(counters))
    return "number of people" if counters == {"人"} else "; ".join(sorted({UNITS[f.unit][2] for f in figures}))


def render_chart(figures: list[Figure], lang: str, sources_url: str, chart_id: str, sources: dict) -> str:
    """An accessible horizontal bar chart (inline SVG, text as text) of the chosen figures.

    A group (not role="img", which may not contain links) named by its title; each figure is a link
    to its source whose name (its <title>) is the text it shows: the label in full (a forecast or
    an estimate says so, as in the ledger), the value, its date and the ledger's kind. Under the
    bars a scale, and under the scale the sources. Every text is literal (md_text: the chart stands
    in the page's Markdown). Type sizes (CHART_TYPE) and colours are set by
    class: by docs/assets/site.css on the site, by publications/pdf.py in the PDF.
    """
    words = CHART_WORDS[lang]
    axis_max, step = _axis_max(max(f.high or f.low for f in figures))
    plot = CHART_WIDTH - 2  # the bars' full length: the scale's end, inside the stroke
    parts: list[str] = []
    y = 4.0

    def text(cls: str, x: float, line: str, anchor: str = "start") -> None:
        parts.append(
            f'<text class="figure-chart__{cls}" x="{x:.1f}" y="{y:.1f}"'
            + (f' text-anchor="{anchor}"' if anchor != "start" else "")
            + f">{md_text(line)}</text>"
        )

    rows_top = y
    for fig in figures:
        value = fig.value(lang)
        meta = words["dot"].join([words["as_of"].format(date=fig.refers_to_text(lang)), KINDS[fig.kind][lang]])
        parts.append(f'<a href="{attribute(sources_url)}#src-{attribute(fig.source)}">')
        parts.append(f"<title>{md_text(fig.label[lang])}: {md_text(value)}, {md_text(meta)}</title>")
        for line in wrap_text(fig.label[lang], CHART_TYPE["label"]):
            y += CHART_TYPE["label"] * LINE
            text("label", 0, line)
        y += 6
        low, high = fig.low / axis_max * plot, (fig.high or fig.low) / axis_max * plot
        if high > low:
            parts.append(f'<rect class="figure-chart__range" x="1" y="{y:.1f}" width="{high:.1f}" height="18"/>')
        parts.append(f'<rect class="figure-chart__bar" x="1" y="{y:.1f}" width="{low:.1f}" height="18"/>')
        y += 18
        y += CHART_TYPE["value"] * LINE
        text("value", 0, value)
        for line in wrap_text(meta, CHART_TYPE["meta"]):
            y += CHART_TYPE["meta"] * LINE
            text("meta", 0, line)
        parts.append("</a>")
        y += 14
    # The scale: a line with ticks, and a light grid line through the rows at each tick.
    ticks = [step * i for i in range(int(round(axis_max / step)) + 1)]
    for tick in ticks:
        x = 1 + tick / axis_max * plot
        parts.append(
            f'<line class="figure-chart__grid" x1="{x:.1f}" y1="{rows_top:.1f}" x2="{x:.1f}" y2="{y + 4:.1f}"/>'
        )
    parts.append(f'<line class="figure-chart__axis" x1="1" y1="{y:.1f}" x2="{plot + 1}" y2="{y:.1f}"/>')
    y += CHART_TYPE["tick"] * LINE + 4
    for index, tick in enumerate(ticks):
        anchor = "start" if index == 0 else "end" if index == len(ticks) - 1 else "middle"
        text("tick", 1 + tick / axis_max * plot, format_number(tick, lang), anchor)
    y += CHART_TYPE["tick"] * LINE
    text("tick", 0, words["scale"].format(unit=_chart_unit(figures, lang)))
    y += 8
    keys = list(dict.fromkeys(f.source for f in figures))
    names = [f"{_source_name(sources.get(key), lang) or key}" for key in keys]
    for line in wrap_text(words["sources"].format(names=words["join"].join(names)), CHART_TYPE["source"]):
        y += CHART_TYPE["source"] * LINE
        text("source", 0, line)
    height = y + 6
    head = [
        f'<svg class="figure-chart" viewBox="0 0 {CHART_WIDTH} {height:.0f}" width="{CHART_WIDTH}" height="{height:.0f}" role="group" aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{md_text(words["title"])}</title>',
        f'<desc id="{chart_id}-desc">{md_text(words["desc"])}</desc>',
    ]
    # One element a line: search indexes the text with the line breaks as spaces ("…casualties Each bar…").
    return "\n".join(head + parts) + "\n</svg>"


def _source_name(source, lang: str) -> str:
    """A source as the chart's source line names it: its outlet (or title) and date."""
    if source is None:
        return ""
    name = source.display_outlet(lang) or source.display_title(lang)
    date = source.display_date(lang)
    return f"{name}（{date}）" if lang == "ja" else f"{name} ({date})"
