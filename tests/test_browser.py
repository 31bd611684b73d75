"""What a reader does, in headless Chromium: switch language, search in both languages, open a footnote."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def _search(page, query: str) -> list[str]:
    """Type a query into Material's search box and return the result links."""
    page.click("input.md-search__input")
    page.fill("input.md-search__input", query)
    page.keyboard.press("End")  # fill() alone may not fire the key event Material listens for
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    return page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.href)")


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
    page.hover(".md-header .md-select")
    page.get_by_role("link", name=language).click()
    page.wait_for_url(served_site.site_url + target)
    lang = page.get_attribute("html", "lang")
    assert lang == ("en" if target.startswith("en/") else "ja")


def test_japanese_query_finds_the_japanese_page(served_site, page):
    page.goto(served_site.site_url)
    links = _search(page, "偵察衛星")
    pages = {re.sub(r"[?#].*$", "", link) for link in links}
    assert served_site.site_url + "briefings/exchanges/" in pages


def test_english_query_finds_the_english_page(served_site, page):
    page.goto(served_site.site_url + "en/")
    links = _search(page, "satellite")
    pages = {re.sub(r"[?#].*$", "", link) for link in links}
    assert served_site.site_url + "en/briefings/exchanges/" in pages


@pytest.mark.parametrize(("start", "english"), [("briefings/china/", False), ("en/briefings/china/", True)])
def test_search_returns_only_pages_in_the_readers_language(served_site, page, start, english):
    """CRINK is written the same in both languages: the results follow the page's language."""
    page.goto(served_site.site_url + start)
    links = _search(page, "CRINK")
    assert links
    assert all(link.startswith(served_site.site_url + "en/") == english for link in links), links


def test_footnote_tooltip_shows_the_formatted_citation(served_site, page):
    page.goto(served_site.site_url + "en/briefings/deployments/")
    page.hover("sup a.footnote-ref >> nth=0")
    tooltip = page.wait_for_selector(".md-tooltip2--active .md-tooltip2__inner", timeout=10000)
    text = tooltip.inner_text()
    # A full citation: a source's author or outlet, its date in English notation.
    assert re.search(
        r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b|\b(January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b",
        text,
    ), text
    assert re.search(
        r"Washington Times|Epoch Times|Popular Mechanics|National Security Journal|South Korean daily", text
    ), text


def test_pages_make_no_third_party_or_failing_request_and_log_no_error(served_site, page):
    own = served_site.site_url.split("/rnk/")[0]
    outside, failed, errors = [], [], []
    page.route(
        re.compile(r"^https?://.*"),
        lambda route: (
            (outside.append(route.request.url), route.abort())
            if not route.request.url.startswith(own)
            else route.continue_()
        ),
    )
    page.on(
        "requestfailed", lambda request: "ERR_ABORTED" not in (request.failure or "") and failed.append(request.url)
    )
    page.on("response", lambda response: response.status >= 400 and failed.append(f"{response.status} {response.url}"))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    for rel in ["", "briefings/exchanges/", "en/", "en/figures/", "en/sources/"]:
        page.goto(served_site.site_url + rel)
        page.wait_for_load_state("networkidle")
        page.hover(".md-header .md-select")  # the switcher must not fetch sitemaps that do not exist
    assert outside == [] and failed == [] and errors == []


def test_glossary_term_shows_its_explanation_on_hover(served_site, page):
    import html

    built = served_site.html("en/briefings/exchanges/index.html")
    title, text = re.search(r'<abbr title="([^"]*)">([^<]*)</abbr>', built).groups()
    page.goto(served_site.site_url + "en/briefings/exchanges/")
    page.locator("article abbr", has_text=text).first.hover()
    tooltip = page.wait_for_selector(".md-tooltip2--active .md-tooltip2__inner", timeout=10000)
    assert tooltip.inner_text().strip() == html.unescape(title).strip()
