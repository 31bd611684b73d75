"""What a reader does, in headless Chromium: switch language, search in both languages, open a footnote."""

from __future__ import annotations

import json
import re

import pytest

from reader import Watch, search, switch_language, tooltip_text

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("start", "target", "language"),
    [
        ("method/", "en/method/", "English"),
        ("en/briefings/motives/", "briefings/motives/", "日本語"),
        ("", "en/", "English"),
    ],
)
def test_language_switcher_lands_on_the_counterpart_page(served_site, page, start, target, language):
    page.goto(served_site.site_url + start)
    switch_language(page, language)
    page.wait_for_url(served_site.site_url + target)
    lang = page.get_attribute("html", "lang")
    assert lang == ("en" if target.startswith("en/") else "ja")


def test_japanese_query_finds_the_japanese_page(served_site, page):
    page.goto(served_site.site_url)
    links = search(page, "偵察衛星")
    pages = {re.sub(r"[?#].*$", "", link) for link in links}
    assert served_site.site_url + "briefings/exchanges/" in pages


def test_english_query_finds_the_english_page(served_site, page):
    page.goto(served_site.site_url + "en/")
    links = search(page, "satellite")
    pages = {re.sub(r"[?#].*$", "", link) for link in links}
    assert served_site.site_url + "en/briefings/exchanges/" in pages


@pytest.mark.parametrize(("start", "english"), [("briefings/china/", False), ("en/briefings/china/", True)])
def test_search_returns_only_pages_in_the_readers_language(served_site, page, start, english):
    """CRINK is written the same in both languages: the results follow the page's language."""
    page.goto(served_site.site_url + start)
    links = search(page, "CRINK")
    assert links
    assert all(link.startswith(served_site.site_url + "en/") == english for link in links), links


def test_adjacent_footnote_markers_are_separated_so_they_do_not_read_as_one_number(served_site, page):
    page.goto(served_site.site_url + "people/")
    shown = page.evaluate(
        """() => [...document.getElementById("gl-kim-jong-un").parentElement
                .querySelectorAll("sup[id^='fnref'], sup.footnote-sep")].map(sup => sup.innerText)"""
    )
    # 金正恩 cites five sources: the markers show as 1,2,3,4,5, not 12345.
    assert "".join(shown) == "1,2,3,4,5", shown


def test_footnote_tooltip_shows_the_formatted_citation(served_site, page):
    page.goto(served_site.site_url + "en/briefings/deployments/")
    text = tooltip_text(page, "sup a.footnote-ref")
    # A full citation: a source's author or outlet, its date in English notation.
    assert re.search(
        r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b|\b(January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b",
        text,
    ), text
    assert re.search(
        r"Washington Times|Epoch Times|Popular Mechanics|National Security Journal|South Korean daily", text
    ), text


def test_pages_make_no_third_party_or_failing_request_and_log_no_error(served_site, page):
    origin = re.escape(served_site.site_url.split("/rnk/")[0])
    watch = Watch(page, f"{origin}/|data:|blob:|about:")
    for rel in ["", "briefings/exchanges/", "en/", "en/figures/", "en/sources/"]:
        page.goto(served_site.site_url + rel)
        page.wait_for_load_state("networkidle")
        page.hover(".md-header .md-select")  # the switcher must not fetch sitemaps that do not exist
    watch.assert_clean()


def test_glossary_term_shows_its_explanation_on_hover(served_site, page):
    import html

    built = served_site.html("en/briefings/exchanges/index.html")
    title, text = re.search(r'<abbr title="([^"]*)">([^<]*)</abbr>', built).groups()
    page.goto(served_site.site_url + "en/briefings/exchanges/")
    assert tooltip_text(page, f"article abbr:has-text({json.dumps(text)})").strip() == html.unescape(title).strip()
