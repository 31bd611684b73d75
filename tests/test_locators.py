"""Locators are checked against the sections each registry entry lists, and inferred dates stay inferred by construction.

Each negative case breaks a copy of the project (never the real docs) and runs the real strict build.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, assert_build_fails, build, line_of, replace_once
from rnk_briefings.inputs.citations import parse_page
from rnk_briefings.inputs.registry import load_registry
from rnk_briefings.inputs.site_model import read_page


@pytest.fixture(scope="module")
def sources():
    registry, problems = load_registry(ROOT / "data" / "sources.yml")
    assert problems == []
    return registry


def test_every_source_lists_its_sections_and_an_opening_only_where_text_precedes_the_first_heading(sources):
    seeds = Path("/work/shared/seeds")
    for source in sources.values():
        assert source.sections or source.kind == "dataset", source.key  # a data set has no headings
    # Kelly's copy and the Popular Mechanics copy put a heading before any of their text.
    assert sources["kelly-2025"].opening is None and sources["bermudez-2023"].opening is None
    assert sources["salmon-2025"].opening == {"ja": "冒頭", "en": "opening paragraphs"}
    if seeds.is_dir():  # each listed heading is a line of its copy, exactly as spelled there
        copies = {
            p.name[:3]: {line.strip() for line in p.read_text(encoding="utf-8").splitlines()}
            for p in seeds.glob("0*.txt")
        }
        numbers = {
            "salmon-2025": "000",
            "xu-2024": "001",
            "bermudez-2023": "002",
            "kelly-2025": "003",
            "korean-daily-2024": "004",
        }
        for key, number in numbers.items():
            for section in sources[key].sections:
                assert section in copies[number], (key, section)


def test_a_locator_is_a_listed_section_in_the_pages_language_with_an_optional_detail(sources):
    salmon = sources["salmon-2025"]
    assert salmon.read_locator("冒頭", "ja") == (None, "")
    assert salmon.read_locator("「米韓への挑発」", "ja") == ("米韓への挑発", "")
    assert salmon.read_locator('section "米韓への挑発", paragraph 3', "en") == ("米韓への挑発", "paragraph 3")
    assert salmon.read_locator("「米韓への挑発」", "en") is None  # the Japanese form on an English page
    assert salmon.read_locator("opening paragraphs", "ja") is None
    assert salmon.read_locator("「米韓への挑発」, ", "ja") is None  # a comma promises a detail
    message, fix = salmon.locator_problem("「米韓の挑発」", "ja")
    assert "not a section of @salmon-2025" in message
    assert "did you mean '「米韓への挑発」'?" in fix and "冒頭 | 「米韓への挑発」 | 「戦勝記念日に訪問か」" in fix


def test_a_detail_after_the_section_is_shown_escaped_with_the_heading_marked_japanese(sources, tmp_path):
    page = tmp_path / "docs" / "en" / "p.md"
    page.parent.mkdir(parents=True)
    page.write_text(
        "---\ntitle: t\ndescription: d\npublished: 2026-01-01\nreviewed: 2026-01-01\n---\n\n"
        'Text.[^a]\n\n[^a]: @salmon-2025, section "米韓への挑発", paragraph <3>\n',
        encoding="utf-8",
    )
    cited = parse_page(read_page(page), sources)
    assert cited.problems == []
    html = sources["salmon-2025"].citation_html("en", cited.definitions["a"].locator)
    assert html.endswith('section "<span lang="ja">米韓への挑発</span>", paragraph &lt;3&gt;.')


CASES = {
    "Kelly cited to an opening his copy does not have": (
        "docs/ja/index.md",
        "@kelly-2025, 「要点と概要」",
        "@kelly-2025, 冒頭",
        [
            "locator '冒頭' is not a section of @kelly-2025",
            "use one of: 「要点と概要」 | ",
            "「ロシアが北朝鮮に頼った理由」",
        ],
    ),
    "a heading spelled another way": (
        "docs/en/overview.md",
        '@korean-daily-2024, section "◇体制脅威論理の「矛盾」露呈"',
        '@korean-daily-2024, section "体制脅威論理の「矛盾」露呈"',
        ["did you mean 'section \"◇体制脅威論理の「矛盾」露呈\"'?", "opening paragraphs |"],
    ),
    "the Japanese form on an English page": (
        "docs/en/index.md",
        '@kelly-2025, section "要点と概要"',
        "@kelly-2025, 「要点と概要」",
        ["is not a section of @kelly-2025", 'section "要点と概要"'],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_footnote_locator_that_is_not_a_listed_section_stops_the_build(case, project, tmp_path):
    rel, old, new, expected = CASES[case]
    replace_once(project / rel, old, new)
    line = line_of(project / rel, new)
    assert_build_fails(project, tmp_path / "site", [f"{rel}:{line}: footnote [^", *expected, "fix:"], case)


def test_a_figure_locator_that_is_not_a_listed_section_stops_the_build_at_its_line(project, tmp_path):
    figures = project / "data" / "figures.yml"
    replace_once(figures, "  locator: 米韓への挑発\n", "  locator: 米韓の挑発\n")
    line = line_of(figures, "locator: 米韓の挑発")
    assert_build_fails(
        project,
        tmp_path / "site",
        [
            f"data/figures.yml:{line}: locator '米韓の挑発' is not a section of 'salmon-2025'",
            "did you mean '米韓への挑発'?",
        ],
    )


def test_a_timeline_locator_is_checked_and_rendered_in_each_language(project, tmp_path):
    timeline = project / "data" / "timeline.yml"
    text = timeline.read_text(encoding="utf-8")
    entry = re.search(r'^- date: "1950"\n(?:  .*\n)*?  sources: \[xu-2024\]\n', text, re.M).group(0)
    timeline.write_text(text.replace(entry, entry + "  locators: {xu-2024: 存在しない節}\n", 1), encoding="utf-8")
    line = line_of(timeline, "存在しない節")
    assert_build_fails(
        project, tmp_path / "bad", [f"data/timeline.yml:{line}: locator '存在しない節' is not a section of 'xu-2024'"]
    )
    timeline.write_text(
        text.replace(entry, entry + "  locators: {xu-2024: 露朝と中共の微妙なズレと不信感}\n", 1), encoding="utf-8"
    )
    result = build(project, tmp_path / "good")
    assert result.returncode == 0, result.stderr
    ja = (tmp_path / "good" / "timeline" / "index.html").read_text(encoding="utf-8")
    en = (tmp_path / "good" / "en" / "timeline" / "index.html").read_text(encoding="utf-8")
    assert "2024年10月31日、「露朝と中共の微妙なズレと不信感」。" in ja
    assert 'section "<span lang="ja">露朝と中共の微妙なズレと不信感</span>".' in en


def test_the_inferred_flag_is_not_written_by_hand(project, tmp_path):
    figures = project / "data" / "figures.yml"
    replace_once(figures, "  source: salmon-2025\n", "  reported_inferred: true\n  source: salmon-2025\n")
    line = line_of(figures, "reported_inferred")
    assert_build_fails(
        project, tmp_path / "site", [f"data/figures.yml:{line}: 'reported_inferred' is no longer written by hand"]
    )


# --- inferred stays inferred ---------------------------------------------------------------------


def _cells(html: str, figure_id: str) -> list[str]:
    row = re.search(rf'<tr>(?:(?!</tr>).)*?<span id="fig-{figure_id}"></span>.*?</tr>', html, re.S).group(0)
    row = re.sub(r'<span class="cell-label".*?</span>', "", row, flags=re.S)  # a phone's stacked-table labels
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_dates_resting_on_an_inferred_source_date_are_shown_inferred_in_table_timeline_and_sources(site):
    en_figures, ja_figures = site.html("en/figures/index.html"), site.html("figures/index.html")
    # Popular Mechanics' date is inferred: its figures' reported date is too; the Washington Times' is not.
    # The registry dates 002 "on or after" 2 November 2023 (inferred): so does the ledger.
    assert _cells(en_figures, "kim-russia-trip-days-2023-09")[3] == "on or after 2 November 2023 (inferred)"
    assert _cells(ja_figures, "kim-russia-trip-days-2023-09")[3] == "2023年11月2日以降（推定）"
    assert _cells(en_figures, "nk-troops-2024-10")[3] == "8 April 2025"
    # A figure whose own date was worked out from that source's date.
    assert _cells(en_figures, "nk-shells-exported-2023")[2] == "November 2023 (inferred)"
    en_timeline, ja_timeline = site.html("en/timeline/index.html"), site.html("timeline/index.html")
    assert '<span class="timeline__date">5 November 2024 (inferred)</span>' in en_timeline
    assert '<span class="timeline__date">2024年11月5日（推定）</span>' in ja_timeline
    assert '<span class="timeline__date">31 October 2024</span>' in en_timeline  # a stated date stays plain
    # The inferred outlet, wherever it is named: the source list and a citation.
    outlet = "Japanese edition of a South Korean daily (the outlet is not named) (inferred)"
    assert f"Published in: {outlet}" in re.sub(r"<[^>]+>", "", site.html("en/sources/index.html"))
    assert outlet in site.html("en/briefings/motives/index.html")
    assert "韓国の日刊紙の日本語版（媒体名は記載なし）（推定）" in site.html("briefings/motives/index.html")


def test_inferred_marks_follow_the_registry_without_an_author_flag(project, tmp_path):
    """Once the registry no longer marks a date as inferred, every date resting on it loses the mark."""
    replace_once(project / "data" / "sources.yml", "  inferred: [outlet, date]\n", "  inferred: [outlet]\n")
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    timeline = (tmp_path / "site" / "en" / "timeline" / "index.html").read_text(encoding="utf-8")
    assert '<span class="timeline__date">5 November 2024</span>' in timeline
    assert "5 November 2024 (inferred)" not in timeline
