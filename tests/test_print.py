"""A briefing printed to PDF by Chromium: the article and its footnotes, without navigation chrome."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from pypdf import PdfReader

from conftest import ROOT
from rnk_briefings.inputs.notation import format_date, parse_partial_date
from rnk_briefings.inputs.site_model import read_page

pytestmark = pytest.mark.browser


def _pdf_text(page, url: str) -> str:
    page.goto(url)
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=False)))
    # NFKC: PDF fonts may map some kanji to their Kangxi radical code points (⾒ for 見).
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", "".join(p.extract_text() for p in reader.pages)))


def _reviewed(lang: str, rel: str) -> str:
    """The page's `reviewed:` date as the page prints it (spaces removed, like the extracted text)."""
    page = read_page(ROOT / "docs" / lang / rel)
    return format_date(parse_partial_date(page.meta["reviewed"]), lang).replace(" ", "")


@pytest.mark.parametrize(
    ("rel", "title", "reviewed", "key_points", "uncertain", "chrome"),
    [
        (
            "briefings/outlook/",
            "見通しと論点",
            "最終確認:" + _reviewed("ja", "briefings/outlook.md"),
            "要点",
            "不確かな点と見解の相違",
            ["検索", "目次", "コンテンツにスキップ"],  # not 編集 (the edit button): the revision history says it
        ),
        (
            "en/briefings/outlook/",
            "Outlookanddisputes",
            "Lastreviewed:" + _reviewed("en", "briefings/outlook.md"),
            "Keypoints",
            "Uncertaintiesanddisputes",
            ["Editthispage", "Search", "Tableofcontents", "Skiptocontent"],
        ),
    ],
)
def test_printed_briefing_has_article_and_sources_but_no_chrome(
    served_site, page, rel, title, reviewed, key_points, uncertain, chrome
):
    text = _pdf_text(page, served_site.site_url + rel)
    page.emulate_media(media="screen")
    on_screen = re.sub(
        r"\s+",
        "",
        page.evaluate(
            "() => document.body.innerText + [...document.querySelectorAll('[title], [aria-label]')].map(e => e.title || e.getAttribute('aria-label')).join(' ')"
        ),
    )
    for wanted in (title, reviewed, key_points, uncertain):
        assert wanted in text, wanted
    assert text.index(key_points) < text.index(uncertain)
    # Footnotes with source titles and the URL a source gives.
    assert "NationalSecurityJournal" in text
    assert "https://nationalsecurityjournal.org/the-russia-north-korea-alliance-might-be-destined-to-fade/" in text
    for word in chrome:
        assert word in on_screen, f"{word} is part of the screen layout"
        assert word not in text, f"{word} is printed"
