"""Every author-supplied value of the data files is rendered as text: escaped in HTML, inert in tooltips, refused where it can never be markup.

A project copy whose data hold script payloads is built (strictly: text fields may hold any text)
and read as HTML and in real Chromium; a URL payload is refused with file, line and a fix.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path

import pytest

from conftest import ROOT, assert_build_fails, build, free_port, replace_once
from htmltools import tags
from rnk_briefings.inputs.data_files import md_text, tooltip_title
from rnk_briefings.inputs.registry import url_problem
from rnk_briefings.inputs.site_model import copy_project

PAYLOAD = "<img src=x onerror=window.__xss=1>"
LINK_PAYLOAD = "[click](javascript:window.__xss=2)"


def _poison(project: Path) -> None:
    """Payloads in a glossary note, a figure label and its estimated_by, a source's title, author and notes, a timeline text."""
    data = project / "data"
    quoted = f'"{PAYLOAD} {LINK_PAYLOAD}"'
    glossary = data / "glossary.yml"
    text = glossary.read_text(encoding="utf-8")
    entry = re.search(r"^- id: adiz\n(?:  .*\n)+", text, re.M).group(0)
    poisoned = re.sub(r"^  (ja|en)_note: .*$", rf"  \1_note: {quoted}", entry, flags=re.M)
    glossary.write_text(text.replace(entry, poisoned), encoding="utf-8")
    figures = data / "figures.yml"
    text = figures.read_text(encoding="utf-8")
    entry = re.search(r"^- id: nk-troops-2024-10\n(?:  .*\n)+", text, re.M).group(0)
    poisoned = re.sub(r"^  label: .*$", f"  label: {{ja: {quoted}, en: {quoted}}}", entry, flags=re.M)
    poisoned = re.sub(r"^  estimated_by: .*$", f"  estimated_by: {{ja: {quoted}, en: {quoted}}}", poisoned, flags=re.M)
    figures.write_text(text.replace(entry, poisoned), encoding="utf-8")
    sources = data / "sources.yml"
    text = sources.read_text(encoding="utf-8")
    sources.write_text(
        re.sub(r"^  title_en: Kim seeks a return.*$", f"  title_en: {quoted}", text, count=1, flags=re.M),
        encoding="utf-8",
    )
    replace_once(
        sources, "  author: {ja: アンドルー・サーモン, en: Andrew Salmon}", f"  author: {{ja: {quoted}, en: {quoted}}}"
    )
    timeline = data / "timeline.yml"
    text = timeline.read_text(encoding="utf-8")
    entry = re.search(r'^- date: "1950"\n(?:  .*\n)+', text, re.M).group(0)
    poisoned = re.sub(r"^  (ja|en): .*$", rf"  \1: {quoted}", entry, flags=re.M)
    timeline.write_text(text.replace(entry, poisoned), encoding="utf-8")


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory):
    """The poisoned project, built strictly, served on a local port."""
    base = tmp_path_factory.mktemp("poisoned")
    project = copy_project(ROOT, base / "project")
    _poison(project)
    site_dir = base / "served" / "rnk"
    port = free_port()
    result = build(project, site_dir, f"http://127.0.0.1:{port}/rnk/")
    assert result.returncode == 0, result.stderr
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(base / "served"))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield site_dir, f"http://127.0.0.1:{port}/rnk/"
    server.shutdown()


def _html(site_dir: Path, rel: str) -> str:
    return (site_dir / rel).read_text(encoding="utf-8")


PAGES = {
    "glossary note": ["glossary/index.html", "en/glossary/index.html"],
    "figure label and estimated_by": ["figures/index.html", "en/figures/index.html"],
    "source title and author": ["sources/index.html", "en/sources/index.html", "en/briefings/deployments/index.html"],
    "timeline text": ["timeline/index.html", "en/timeline/index.html"],
}


@pytest.mark.parametrize("field", PAGES)
def test_each_payload_is_text_in_the_built_html(poisoned, field):
    site_dir, _ = poisoned
    for rel in PAGES[field]:
        html = _html(site_dir, rel)
        assert [t for t in tags(html, "img") if t.get("src") == "x"] == [], rel
        assert not [t for t in tags(html, "a") if t.get("href", "").startswith("javascript:")], rel
        assert "&lt;img src=x onerror=window.__xss=1&gt;" in html, rel
        assert "[click](javascript:window.__xss=2)" in html, rel  # shown as written, not a link


def test_glossary_tooltips_escape_their_title_for_innerhtml(poisoned):
    site_dir, _ = poisoned
    titles = [
        t["title"]
        for t in tags(_html(site_dir, "en/briefings/exchanges/index.html"), "abbr")
        if "img" in t.get("title", "")
    ]
    # The attribute, once parsed, still holds only an escaped tag: innerHTML shows it as text.
    assert titles and all("&lt;img src=x" in title and "<img" not in title for title in titles)


def test_escaping_helpers_turn_markup_into_text():
    assert md_text(f"{PAYLOAD} {LINK_PAYLOAD} {{: onclick=x}}\n\n# h") == (
        r"&lt;img src=x onerror=window.\_\_xss=1&gt; \[click\](javascript:window.\_\_xss=2) \{: onclick=x\} # h"
    )
    assert tooltip_title('<b title="x">') == "&amp;lt;b title=&quot;x&quot;&amp;gt;"


@pytest.mark.browser
def test_payloads_run_nothing_in_the_browser_and_show_as_text(poisoned, page):
    _, url = poisoned
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for rel in [
        "en/briefings/exchanges/",
        "briefings/exchanges/",
        "en/figures/",
        "en/sources/",
        "timeline/",
        "en/glossary/",
    ]:
        page.goto(url + rel)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__xss") is None, rel
    # A glossary term whose note holds the payload, and a footnote whose citation holds it.
    page.goto(url + "en/briefings/exchanges/")
    term = page.locator("article abbr[title*='img']").first
    term.hover()
    tip = page.wait_for_selector(".md-tooltip2--active .md-tooltip2__inner", timeout=10000)
    assert PAYLOAD in tip.inner_text()
    assert tip.query_selector("img") is None
    page.mouse.move(0, 0)
    page.goto(url + "en/briefings/deployments/")
    label = page.evaluate(
        """() => [...document.querySelectorAll('.footnote li')].find(li => li.textContent.includes('<img')).id"""
    )
    page.locator(f'a.footnote-ref[href="#{label}"]').first.hover()
    tip = page.wait_for_selector(".md-tooltip2--active .md-tooltip2__inner", timeout=10000)
    assert PAYLOAD in tip.inner_text() and tip.query_selector("img[src='x']") is None
    page.goto(url + "en/figures/")
    assert PAYLOAD in page.inner_text("article")
    assert page.evaluate("window.__xss") is None
    assert dialogs == []


URL_PAYLOAD = 'https://example.com/x"onmouseover=alert(1)><svg/onload=alert(1)>'


@pytest.mark.parametrize(
    ("url", "why"),
    [
        (URL_PAYLOAD, "contains '\"'"),
        ("javascript:alert(1)", "is not an absolute http(s) URL"),
        ("https://user:secret@example.com/", "carries credentials"),
        ("https://example.com/a b", "contains ' '"),
        ("https:///path", "has no host"),
        ("//example.com/x", "is not an absolute http(s) URL"),
    ],
)
def test_urls_are_parsed_and_anything_but_a_plain_http_url_is_refused(url, why):
    assert why in (url_problem(url) or "")


def test_a_good_url_passes():
    assert (
        url_problem("https://nationalsecurityjournal.org/the-russia-north-korea-alliance-might-be-destined-to-fade/")
        is None
    )


def test_a_url_payload_stops_the_build_with_file_line_and_fix(project, tmp_path):
    sources = project / "data" / "sources.yml"
    replace_once(sources, "  date: 2025-04-12\n", f"  date: 2025-04-12\n  url: '{URL_PAYLOAD}'\n")
    line = next(
        i for i, text in enumerate(sources.read_text(encoding="utf-8").splitlines(), 1) if "onmouseover" in text
    )
    assert_build_fails(
        project,
        tmp_path / "site",
        [
            f"data/sources.yml:{line}: url ",
            "contains '\"'",
            "fix: give the full http(s) URL exactly as the source states it",
        ],
    )


def test_source_urls_are_escaped_href_attributes_not_autolinks(site):
    html = site.html("en/sources/index.html")
    url = "https://nationalsecurityjournal.org/the-russia-north-korea-alliance-might-be-destined-to-fade/"
    assert f'URL: <a href="{url}">{url}</a>' in html
