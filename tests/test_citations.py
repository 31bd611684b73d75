"""Unit tests of citation parsing, citation formatting, the registry schema and footnote back-links."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from rnk_briefings.checks import citation_parity
from rnk_briefings.inputs.citations import localise_footnotes, parse_page, relative_link
from rnk_briefings.inputs.notation import PartialDate, format_date, parse_partial_date
from rnk_briefings.inputs.registry import load_registry
from rnk_briefings.inputs.site_model import read_page

SOURCES, REGISTRY_PROBLEMS = load_registry(ROOT / "data" / "sources.yml")


FRONT_MATTER = "---\ntitle: T\ndescription: D\npublished: 2026-11-21\nreviewed: 2026-11-21\n---\n\n"
BODY_LINE = FRONT_MATTER.count("\n") + 1  # the file line of the body's first line


def _page(tmp_path: Path, body: str, name: str = "page.md"):
    path = tmp_path / name
    path.write_text(FRONT_MATTER + body, encoding="utf-8")
    return read_page(path)


def test_the_real_registry_is_valid_and_holds_the_five_seed_documents():
    assert REGISTRY_PROBLEMS == []
    assert set(SOURCES) == {"salmon-2025", "xu-2024", "bermudez-2023", "kelly-2025", "korean-daily-2024"}


def test_parse_finds_references_definitions_sections_and_lines(tmp_path):
    page = _page(
        tmp_path,
        "## 概要\n\n本文[^a]。次[^b]。\n\n## 詳細\n\n再び[^a]。\n\n[^a]: @salmon-2025, 「戦勝記念日に訪問か」\n[^b]: @kelly-2025\n",
    )
    cited = parse_page(page, SOURCES)
    assert cited.problems == []
    assert [(r.label, r.line, r.section, r.anchor) for r in cited.references] == [
        ("a", BODY_LINE + 2, "概要", "概要"),
        ("b", BODY_LINE + 2, "概要", "概要"),
        ("a", BODY_LINE + 6, "詳細", "詳細"),
    ]
    assert cited.definitions["a"].key == "salmon-2025"
    assert cited.definitions["a"].locator == "「戦勝記念日に訪問か」"
    assert cited.definitions["a"].line == BODY_LINE + 8
    assert cited.definitions["b"].locator is None
    assert cited.keys_in_order() == ["salmon-2025", "kelly-2025"]


def test_a_partial_publication_date_is_one_mistake_not_two(tmp_path):
    path = tmp_path / "page.md"
    path.write_text(FRONT_MATTER.replace("published: 2026-11-21", "published: 2026-12"), encoding="utf-8")
    problems = read_page(path).problems
    assert [p.message.split(":")[0] for p in problems] == ["'published' is not a full date"]


def test_footnote_syntax_inside_code_is_ignored(tmp_path):
    page = _page(tmp_path, "Write `[^x]` to cite.\n\n```\n[^y]: @nothing\n```\n")
    cited = parse_page(page, SOURCES)
    assert cited.problems == [] and cited.references == [] and cited.definitions == {}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Text[^a].\n\n[^a]: @nobody-2020\n", "unknown source key '@nobody-2020'"),
        ("Text[^a].\n", "used but never defined"),
        ("Text.\n\n[^a]: @kelly-2025\n", "defined but never referenced"),
        ("Text[^注].\n\n[^注]: @kelly-2025\n", "not ASCII"),
        ("Text[^a].\n\n[^a]: @kelly-2025,  \n", "malformed citation"),
        ("Text[^a].\n\n[^a]: Kelly 2025\n", "does not cite a source"),
        ("Text[^a].\n\n[^a]: @kelly-2025\n[^a]: @xu-2024\n", "defined twice"),
    ],
)
def test_each_citation_mistake_is_reported_with_its_line(tmp_path, body, message):
    cited = parse_page(_page(tmp_path, body), SOURCES)
    assert [p for p in cited.problems if message in p.message], cited.problems
    assert all(p.line >= BODY_LINE and p.file.endswith("page.md") and p.fix for p in cited.problems)


def test_sources_must_match_between_languages(tmp_path):
    (tmp_path / "ja").mkdir()
    (tmp_path / "en").mkdir()
    known = set(SOURCES)
    ja = parse_page(_page(tmp_path / "ja", "本文[^a]。\n\n[^a]: @kelly-2025\n"), SOURCES)
    en = parse_page(_page(tmp_path / "en", "Text.[^b]\n\n[^b]: @xu-2024\n"), SOURCES)
    found, _ = citation_parity.compare(ja, en, known)
    assert not [p for p in found if "citations differ" in p.message], "one mistake, one message"
    assert {p.message.split(" is cited")[0] for p in found} == {"@kelly-2025", "@xu-2024"}
    # The same label citing another source on each side: one message, at the English definition.
    en = parse_page(_page(tmp_path / "en", "Text.[^a]\n\n[^a]: @xu-2024\n"), SOURCES)
    (problem,) = citation_parity.compare(ja, en, known)[0]
    assert problem.message.startswith("footnote [^a] cites @xu-2024 here but @kelly-2025 in ")
    assert problem.file.endswith("en/page.md") and problem.line == BODY_LINE + 2


def test_citations_follow_each_languages_conventions():
    salmon = SOURCES["salmon-2025"]
    ja = salmon.citation("ja", "「戦勝記念日に訪問か」")
    assert ja.startswith("アンドルー・サーモン「正恩氏、「戦勝記念日」前にロシア派兵の見返り要求か」")
    assert "2025年4月12日" in ja and ja.endswith("「戦勝記念日に訪問か」。")
    en = salmon.citation("en", 'section "戦勝記念日に訪問か"')
    assert en.startswith("Andrew Salmon, 「正恩氏、「戦勝記念日」前にロシア派兵の見返り要求か」 (“Kim seeks")
    assert "our translation" in en and "12 April 2025" in en and en.endswith('section "戦勝記念日に訪問か".')


def test_inferred_metadata_is_marked_and_an_inferred_title_is_bracketed():
    bermudez = SOURCES["bermudez-2023"]
    assert "2023年11月2日以降（推定）" in bermudez.citation("ja")
    assert "on or after 2 November 2023 (inferred)" in bermudez.citation("en")
    assert "［2023年9月の金正恩氏のロシア訪問をめぐる分析］" in bermudez.citation("ja")
    assert "[Analysis of Kim Jong Un's September 2023 visit to Russia]" in bermudez.citation("en")


def test_a_translation_with_a_known_original_title_shows_it_in_english():
    kelly = SOURCES["kelly-2025"]
    assert "“The Russia-North Korea Alliance Might Be Destined to Fade”" in kelly.citation("en")
    assert "our translation" not in kelly.citation("en")
    assert "「ロシア・北朝鮮の同盟は衰退する運命にある」" in kelly.citation("ja")


@pytest.mark.parametrize(
    ("text", "ja", "en"),
    [
        ("2024-06-19", "2024年6月19日", "19 June 2024"),
        ("2023-09", "2023年9月", "September 2023"),
        ("2017", "2017年", "2017"),
    ],
)
def test_dates_render_at_their_precision(text, ja, en):
    date = parse_partial_date(text)
    assert (format_date(date, "ja"), format_date(date, "en")) == (ja, en)


@pytest.mark.parametrize("text", ["2024-13", "2024-02-30", "24-06-19", "June 2024"])
def test_bad_dates_are_refused(text):
    with pytest.raises(ValueError):
        parse_partial_date(text)


def test_registry_schema_errors_name_their_lines(tmp_path):
    path = tmp_path / "sources.yml"
    path.write_text(
        "- key: Bad Key\n  kind: rumour\n  language: fr\n  title: T\n  date: 2024-13\n  url: ftp:/x\n  colour: red\n"
        "- key: ok-2024\n  kind: news-report\n  language: en\n  title: T\n  date: 2024\n  author: {ja: 著者}\n",
        encoding="utf-8",
    )
    sources, problems = load_registry(path)
    found = {(p.line, p.message.split(" ")[0]) for p in problems}
    assert (1, "key") in found
    assert (2, "unknown") in found  # kind
    assert (3, "unknown") in found  # language
    assert any(p.line == 5 and "2024-13" in p.message for p in problems)
    assert any(p.line == 6 and "well-formed" in p.message for p in problems)
    assert any(p.line == 7 and "colour" in p.message for p in problems)
    assert any(p.line == 13 and "both languages" in p.message for p in problems)
    assert sources == {}


def test_relative_links_to_the_sources_page():
    assert relative_link("index.md", "sources.md") == "sources.md"
    assert relative_link("briefings/motives.md", "sources.md") == "../sources.md"


def test_repeated_footnotes_get_lettered_backlinks_in_the_pages_language():
    html = (
        '<li id="fn:a"><p>X&#160;<a class="footnote-backref" href="#fnref:a" title="Jump">&#8617;</a>'
        '<a class="footnote-backref" href="#fnref2:a" title="Jump">&#8617;</a></p></li>'
        '<li id="fn:b"><p>Y&#160;<a class="footnote-backref" href="#fnref:b" title="Jump">&#8617;</a></p></li>'
    )
    ja = localise_footnotes(html, "ja")
    assert 'href="#fnref:a" aria-label="本文の参照箇所 a へ戻る"' in ja and ">a</a>" in ja and ">b</a>" in ja
    assert 'href="#fnref:b" aria-label="本文の参照箇所へ戻る"' in ja
    assert "title=" not in ja  # no tooltip to set up for a back-link
    assert "Back to reference b in the text" in localise_footnotes(html, "en")


def test_partial_dates_sort_by_precision():
    dates = [PartialDate(2024, 1, 1), PartialDate(2024), PartialDate(2024, 1)]
    assert sorted(dates, key=PartialDate.sort_key) == [PartialDate(2024), PartialDate(2024, 1), PartialDate(2024, 1, 1)]
    assert [d.precision for d in sorted(dates, key=PartialDate.sort_key)] == ["year", "month", "day"]
