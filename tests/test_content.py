"""The briefings' shape: both languages, complete front matter, key points, cited paragraphs, length."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT
from rnk_briefings.inputs.site_model import FRONT_MATTER_FIELDS, read_page

BRIEFINGS = [
    "overview.md",
    *(f"briefings/{name}.md" for name in ("motives", "exchanges", "deployments", "china", "outlook")),
]
KEY_POINTS = {"ja": "要点", "en": "Key points"}
UNCERTAIN = {"ja": "不確かな点と見解の相違", "en": "Uncertainties and disputes"}
PAGES = sorted(p.relative_to(ROOT / "docs" / "ja").as_posix() for p in (ROOT / "docs" / "ja").rglob("*.md"))


@pytest.mark.parametrize("rel", PAGES)
def test_every_page_exists_in_both_languages_with_complete_front_matter(rel):
    for lang in ("ja", "en"):
        page = read_page(ROOT / "docs" / lang / rel)
        assert page.problems == []
        assert all(page.meta.get(field) for field in FRONT_MATTER_FIELDS)
        assert not re.search(r"^# ", page.body, re.M), "the title comes from the front matter"


def _blocks(body: str) -> list[str]:
    """Paragraphs, list items and table rows of a page body."""
    blocks = []
    for block in re.split(r"\n\s*\n", body):
        lines = block.strip().splitlines()
        if lines and lines[0].startswith("|"):
            blocks += [line for line in lines[2:]]  # table rows after the header and separator
        else:
            blocks += [b.strip() for b in re.split(r"\n(?=- )", block) if b.strip()]
    return blocks


# A paragraph that only states this site's own arrangement, marked as such and with no number or date,
# reports nothing from a source (EDITORIAL.md: a paragraph that only connects cited statements needs none).
SITE_OWN = re.compile(r"^(?=[^0-9０-９]*$)[^\n]*(?:当サイト|this site's)[^\n]*$")


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("rel", BRIEFINGS)
def test_briefing_has_key_points_cited_paragraphs_and_an_uncertainty_section(rel, lang):
    page = read_page(ROOT / "docs" / lang / rel)
    headings = re.findall(r"^## (.+)$", page.body, re.M)
    assert headings[0] == KEY_POINTS[lang]
    assert UNCERTAIN[lang] in headings
    key_points = page.body.split(f"## {KEY_POINTS[lang]}", 1)[1].split("\n## ", 1)[0]
    assert 3 <= len(re.findall(r"^- ", key_points, re.M)) <= 6
    uncited = []
    for block in _blocks(page.body):
        if block.startswith(("#", "[^", "- [", "[")):  # headings, footnote definitions, links to other pages
            continue
        if "[^" not in block and not SITE_OWN.search(block):
            uncited.append(block[:80])
    assert uncited == [], "every paragraph, bullet and table row that states facts carries a footnote"


@pytest.mark.parametrize("rel", [b for b in BRIEFINGS if b.startswith("briefings/")])
def test_briefing_is_long_enough_to_stand_on_its_own(rel):
    body = read_page(ROOT / "docs" / "en" / rel).body
    prose = re.sub(r"^\[\^.*$|\[\^[^\]]+\]|\]\([^)]*\)", " ", body, flags=re.M)
    words = len(re.findall(r"[A-Za-z0-9][\w'’–-]*", prose))
    assert 800 <= words <= 1800, words


def test_a_briefing_uses_the_figures_ledger(site):
    from rnk_briefings.inputs.ledger import load_figures
    from rnk_briefings.inputs.registry import load_registry

    sources, _ = load_registry(ROOT / "data" / "sources.yml")
    figures, _ = load_figures(ROOT / "data" / "figures.yml", set(sources))
    assert "[[fig:nk-troops-2024-10]]" in (ROOT / "docs/ja/briefings/deployments.md").read_text(encoding="utf-8")
    assert figures["nk-troops-2024-10"].value("ja") in site.html("briefings/deployments/index.html")
    assert figures["nk-troops-2024-10"].value("en") in site.html("en/briefings/deployments/index.html")
    assert "[[fig:" not in site.html("briefings/deployments/index.html")


def test_sources_page_lists_every_citing_page_and_section_and_the_links_resolve(site):
    html = site.html("en/sources/index.html")
    for key in ("salmon-2025", "xu-2024", "bermudez-2023", "kelly-2025", "korean-daily-2024"):
        entry = html.split(f'id="src-{key}"', 1)[1].split("</ul>", 1)[0]
        assert "(inferred)" in entry or key in ("salmon-2025", "xu-2024", "kelly-2025")
        links = re.findall(r'href="([^"]+)"', entry.split("Cited on:", 1)[1])
        assert links, key
        for link in links:
            target, _, anchor = link.partition("#")
            path = Path(site.root / "en" / "sources" / target).resolve() / "index.html"
            assert path.is_file(), link
            if anchor:
                assert f'id="{anchor}"' in path.read_text(encoding="utf-8"), link


def test_footnotes_are_full_citations_linked_to_the_source_list(site):
    html = site.html("briefings/china/index.html")
    notes = re.findall(r'<li id="fn:[^"]+">(.*?)</li>', html, re.S)
    assert notes
    for note in notes:
        assert re.search(r'<a href="\.\./\.\./sources/#src-[a-z0-9-]+">', note), note
        assert re.search(r"\d{4}年(\d{1,2}月)?", note), note
