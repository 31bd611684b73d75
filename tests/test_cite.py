"""'Cite this page' on every briefing: the citation of the current version, its copy button, its BibTeX file."""

from __future__ import annotations

import gzip
import html as html_module
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml

from conftest import ROOT
from htmltools import page_url, tags
from reader import Watch
from rnk_briefings.mdx import maps

BRIEFINGS = sorted(p.stem for p in (ROOT / "docs/ja/briefings").glob("*.md"))
SITE_NAME = {"ja": "露朝接近ブリーフィング", "en": "Russia–North Korea Alignment Briefings"}
MONTHS = "January February March April May June July August September October November December".split()


def _front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("\n---\n", 1)[0].removeprefix("---\n"))


def _version(lang: str, name: str):
    return max(r["date"] for r in _front_matter(ROOT / f"docs/{lang}/briefings/{name}.md")["revisions"])


def _written(day, lang: str) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if lang == "ja" else f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _rel(lang: str, name: str) -> str:
    return ("" if lang == "ja" else "en/") + f"briefings/{name}/index.html"


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("name", BRIEFINGS)
def test_briefing_ends_with_a_citation_of_its_current_version(site, lang, name):
    rel = _rel(lang, name)
    page = site.html(rel)
    title = _front_matter(ROOT / f"docs/{lang}/briefings/{name}.md")["title"]
    cite = page.split('<h2 id="cite">', 1)[1].split("<h2", 1)[0]
    code = re.search(r'<pre class="copy"><code>(.*?)</code></pre>', cite, re.S)
    assert code, rel
    text = html_module.unescape(code.group(1))
    version = _version(lang, name)
    for part in (SITE_NAME[lang], title, _written(version, lang), page_url(site.site_url, rel)):
        assert part in text, (rel, part)
    assert text.index(title) < text.index(_written(version, lang)) < text.index(page_url(site.site_url, rel))
    bib_links = [a["href"] for a in tags(cite, "a") if a["href"].endswith(".bib")]
    assert len(bib_links) == 1, rel
    bib_url = urljoin(page_url(site.site_url, rel), bib_links[0])
    bib = (site.root / bib_url.removeprefix(site.site_url)).read_text(encoding="utf-8")
    assert re.match(r"@online\{[\w-]+,\n", bib)
    fields = dict(re.findall(r"^  (\w+) = \{(.*)\},?$", bib, re.M))
    assert fields["title"] == title and fields["url"] == page_url(site.site_url, rel)
    assert fields["date"] == version.isoformat() and fields["author"] == "{" + SITE_NAME[lang] + "}"
    assert fields["langid"] == {"ja": "japanese", "en": "english"}[lang]
    # The revision history follows, and names the same version first.
    history = page.split('<h2 id="revisions">', 1)[1]
    assert tags(history, "time")[0]["datetime"] == version.isoformat()


def test_pages_stay_light(site):
    heavy = {}
    for path in site.pages():
        html = path.read_text(encoding="utf-8")
        rest = maps.without_maps(html)[1]  # each map is budgeted on its own: test_maps.py
        size = len(gzip.compress(rest.encode(), 9))
        assert "locator-map" not in rest, path  # nothing of a map is left in the page's own budget
        if size > 16 * 1024:
            heavy[path.relative_to(site.root).as_posix()] = size
    assert heavy == {}, "at most 16 KB of gzip HTML per page, its maps aside (README, Performance)"


@pytest.mark.browser
def test_copy_button_copies_the_citation(served_site, browser):
    context = browser.new_context()
    origin = served_site.site_url.split("/rnk/")[0]
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    page = context.new_page()
    watch = Watch(page, re.escape(origin))
    for lang in ("ja", "en"):
        page.goto(page_url(served_site.site_url, _rel(lang, "china")))
        expected = page.inner_text("#cite + pre code")
        page.click("#cite + pre .md-code__button[data-md-type=copy]")
        page.wait_for_function("navigator.clipboard.readText().then(t => t.length > 0)")
        assert page.evaluate("navigator.clipboard.readText()") == expected
        assert _written(_version(lang, "china"), lang) in expected
        page.evaluate("navigator.clipboard.writeText('')")
    watch.assert_clean()
    context.close()
