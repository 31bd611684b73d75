"""The built site: both languages, alternates, canonical URLs, switcher, 404, sitemap, anchors, search."""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin

from conftest import ROOT
from htmltools import page_url, tags


def _lang_of(rel: str) -> str:
    return "en" if rel.startswith("en/") else "ja"


def _counterpart(rel: str) -> str:
    return rel.removeprefix("en/") if rel.startswith("en/") else "en/" + rel


def test_every_page_exists_in_both_languages_with_the_right_html_lang(site):
    rels = [p.relative_to(site.root).as_posix() for p in site.pages()]
    ja = {r for r in rels if _lang_of(r) == "ja"}
    en = {r.removeprefix("en/") for r in rels if _lang_of(r) == "en"}
    assert ja == en
    assert {"index.html", "method/index.html", "sources/index.html"} <= ja
    for rel in rels:
        assert f'<html lang="{_lang_of(rel)}"' in site.html(rel), rel


def test_alternates_and_canonical_are_absolute_for_both_languages_and_x_default(site):
    for path in site.pages():
        rel = path.relative_to(site.root).as_posix()
        html = site.html(rel)
        own, other = page_url(site.site_url, rel), page_url(site.site_url, _counterpart(rel))
        canonical = tags(html, "link", rel="canonical")
        assert [c["href"] for c in canonical] == [own], rel
        alternates = {a["hreflang"]: a["href"] for a in tags(html, "link", rel="alternate") if "hreflang" in a}
        ja_url, en_url = (own, other) if _lang_of(rel) == "ja" else (other, own)
        assert alternates == {"ja": ja_url, "en": en_url, "x-default": ja_url}, rel


def test_language_switcher_leads_to_the_same_page_in_the_other_language(site):
    for path in site.pages():
        rel = path.relative_to(site.root).as_posix()
        links = {a["hreflang"]: a["href"] for a in tags(site.html(rel), "a", class_="md-select__link")}
        own = page_url(site.site_url, rel)
        target = "en" if _lang_of(rel) == "ja" else "ja"
        assert urljoin(own, links[target]) == page_url(site.site_url, _counterpart(rel)), rel
        assert urljoin(own, links[_lang_of(rel)]) == own, rel


def test_404_page_serves_both_languages_from_any_depth(site):
    html = site.html("404.html")
    assert '<html lang="ja"' in html
    assert "ページが見つかりません" in html and "Page not found" in html
    assert '<p lang="en">' in html
    hrefs = {a["href"] for a in tags(html, "a")}
    assert site.site_url in hrefs and site.site_url + "en/" in hrefs
    # Served for a missing URL at any depth, so its own assets are addressed from the site root.
    stylesheets = [link["href"] for link in tags(html, "link", rel="stylesheet")]
    assert stylesheets and all(href.startswith("/rnk/") for href in stylesheets)
    switcher = {a["hreflang"]: a["href"] for a in tags(html, "a", class_="md-select__link")}
    assert switcher == {"ja": site.site_url, "en": site.site_url + "en/"}


def test_sitemap_lists_every_page_in_both_languages(site):
    sitemap = site.html("sitemap.xml")
    locations = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    for path in site.pages():
        assert page_url(site.site_url, path.relative_to(site.root).as_posix()) in locations
    assert 'hreflang="en"' in sitemap and 'hreflang="ja"' in sitemap


def test_japanese_headings_get_readable_anchors(site):
    for path in site.pages():
        rel = path.relative_to(site.root).as_posix()
        if _lang_of(rel) != "ja":
            continue
        ids = [h["id"] for name in ("h2", "h3") for h in tags(site.html(rel), name) if "id" in h]
        assert not [i for i in ids if re.fullmatch(r"_\d+", i)], rel
    method_ids = [h["id"] for h in tags(site.html("method/index.html"), "h2")]
    assert any(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", i) for i in method_ids)


def test_edit_this_page_points_at_the_markdown_source(site):
    for path in site.pages():
        rel = path.relative_to(site.root).as_posix()
        edit = tags(site.html(rel), "a", rel="edit")
        assert len(edit) == 1, rel
        match = re.search(r"/edit/main/(docs/.+\.md)$", edit[0]["href"])
        assert match and (ROOT / match.group(1)).is_file(), edit[0]["href"]
        lang_folder = _lang_of(rel)
        assert match.group(1).startswith(f"docs/{lang_folder}/")


def test_no_request_to_a_third_party_host(site):
    for path in [*site.pages(), site.root / "404.html"]:
        html = path.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html
        loaded = [t.get("src", "") for t in tags(html, "script") + tags(html, "img") + tags(html, "iframe")]
        loaded += [
            t.get("href", "")
            for t in tags(html, "link")
            if t.get("rel") in ("stylesheet", "preload", "icon", "preconnect")
        ]
        external = [u for u in loaded if re.match(r"^(https?:)?//", u) and not u.startswith(site.site_url)]
        assert not external, (path, external)


def test_each_language_has_its_own_search_index_with_an_explicit_pipeline(site):
    ja = json.loads(site.html("search/search_index.json"))
    en = json.loads(site.html("en/search/search_index.json"))
    for index in (ja, en):
        assert index["config"]["lang"] == ["ja", "en"]
        assert index["config"]["pipeline"] == ["stopWordFilter"]
        locations = [doc["location"] for doc in index["docs"]]
        assert locations and len(locations) == len(set(locations)), "no page is indexed twice"
        assert not any(loc.startswith("en/") for loc in locations)
    assert any("要点" in doc["title"] for doc in ja["docs"])
    assert any(doc["title"] == "Key points" for doc in en["docs"])
    assert not any(doc["title"] == "Key points" for doc in ja["docs"])
    # Footnotes (the citations) stay out of the index: they would match every page.
    assert not any("↩" in doc["text"] or "&#8617;" in doc["text"] for doc in ja["docs"] + en["docs"])
    pages = {p.relative_to(site.root).as_posix() for p in site.pages()}
    assert len({d["location"].split("#")[0] for d in ja["docs"]}) == len({p for p in pages if not p.startswith("en/")})


def test_english_pages_point_search_at_the_english_index(site):
    for path in site.pages():
        rel = path.relative_to(site.root).as_posix()
        config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', site.html(rel), re.S)
        base = json.loads(config.group(1))["base"]
        expected = site.site_url + ("en/" if rel.startswith("en/") else "")
        assert urljoin(page_url(site.site_url, rel), base.rstrip("/") + "/") == expected, rel


def test_glossary_terms_are_explained_in_the_pages_language(site):
    from rnk_briefings.inputs.glossary import annotate_terms, load_glossary
    from rnk_briefings.inputs.registry import load_registry

    sources, _ = load_registry(ROOT / "data" / "sources.yml")
    entries, problems = load_glossary(ROOT / "data" / "glossary.yml", set(sources))
    assert problems == []
    adiz = next(e for e in entries if e.abbr == "ADIZ")
    for rel, lang in (("briefings/exchanges/index.html", "ja"), ("en/briefings/exchanges/index.html", "en")):
        html = site.html(rel)
        explained = dict((text, title) for title, text in re.findall(r'<abbr title="([^"]*)">([^<]*)</abbr>', html))
        names = {adiz.name[lang], "ADIZ"}
        term = next(t for t in explained if t in names)
        assert adiz.note[lang] in explained[term].replace("&#x27;", "'")
        assert len(re.findall(rf"<abbr[^>]*>{re.escape(term)}</abbr>", html)) == 1, "first use only"
        assert not re.search(r"<(a|h[1-6])\b[^>]*>[^<]*<abbr", html), "never inside a link or heading"
    # People and places are listed on their own page and not explained on hover.
    putin = next(e for e in entries if e.name["en"] == "Vladimir Putin")
    assert putin.kind == "person" and putin.name["en"] in site.html("en/briefings/motives/index.html")
    assert not re.search(
        rf'<abbr title="[^"]*">{putin.name["en"]}</abbr>', site.html("en/briefings/motives/index.html")
    )
    # Unit check of the rule on text that is and is not eligible.
    sample = '<p>防空識別圏の話。</p><a href="#">防空識別圏</a><h2>ADIZ</h2>'
    out = annotate_terms(sample, entries, "ja")
    assert out.count("<abbr") == 1 and out.startswith("<p><abbr")
    # An entry is explained once per page, under its name or its abbreviation, whichever comes first.
    out = annotate_terms("<p>防空識別圏（ADIZ）に入った。</p><p>ADIZ と防空識別圏。</p>", entries, "ja")
    assert out.count("<abbr") == 1 and "<abbr" in out.split("（")[0]


def test_footnote_markers_heading_links_and_the_switcher_have_names_in_the_pages_language(site):
    for rel, footnote, permalink, switcher in (
        ("briefings/motives/index.html", "脚注", "この見出しへのリンク", "言語切り替え"),
        ("en/briefings/motives/index.html", "Footnote ", "Link to this heading", "Select language"),
    ):
        html = site.html(rel)
        refs = tags(html, "a", class_="footnote-ref")
        assert refs and all(ref.get("aria-label", "").startswith(footnote) for ref in refs)
        headings = tags(html, "a", class_="headerlink")
        assert headings and all(a.get("aria-label") == permalink and "title" not in a for a in headings)
        assert re.search(rf'<button class="md-header__button md-icon" aria-label="{switcher}"', html)


def test_glossary_and_people_pages_list_every_entry_once_under_its_kind(site):
    from rnk_briefings.inputs.glossary import KINDS, load_glossary
    from rnk_briefings.inputs.registry import load_registry

    sources, _ = load_registry(ROOT / "data" / "sources.yml")
    entries, _ = load_glossary(ROOT / "data" / "glossary.yml", set(sources))
    for prefix, lang in (("", "ja"), ("en/", "en")):
        glossary, people = site.html(f"{prefix}glossary/index.html"), site.html(f"{prefix}people/index.html")
        for entry in entries:
            anchor = f'id="{entry.anchor()}"'
            listed_on = people if entry.kind in ("person", "place") else glossary
            other = glossary if listed_on is people else people
            assert anchor in listed_on and anchor not in other, entry.id
        for kind in ("person", "place"):
            assert f">{KINDS[kind][lang]}<" in people
        assert "<abbr" not in glossary + people, "the lists explain their entries in full"
    crink = site.html("en/glossary/index.html").split('id="gl-crink"')[1].split("<br")[0]
    assert "(CRINK)" not in crink, "a name the same in both languages is not repeated"


def test_pages_describe_themselves_for_search_engines_and_sharing(site):
    from rnk_briefings.inputs.notation import format_date, parse_partial_date
    from rnk_briefings.inputs.site_model import read_page

    for path in site.pages():
        rel = path.relative_to(site.root).as_posix()
        lang = _lang_of(rel)
        source = rel.removeprefix("en/").removesuffix("index.html").rstrip("/") or "index"
        md = ROOT / "docs" / lang / (source + ".md")
        if not md.exists():
            continue  # 404 page
        meta = read_page(md).meta
        html = site.html(rel)
        assert [m["content"] for m in tags(html, "meta", name_="description")] == [meta["description"]], rel
        og = {m["property"]: m["content"] for m in tags(html, "meta") if m.get("property", "").startswith("og:")}
        locale, alternate = ("ja_JP", "en_GB") if lang == "ja" else ("en_GB", "ja_JP")
        assert og["og:locale"] == locale and og["og:locale:alternate"] == alternate, rel
        assert og["og:title"] == meta["title"] and og["og:description"] == meta["description"], rel
        assert og["og:url"] == page_url(site.site_url, rel), rel
        assert [m["content"] for m in tags(html, "meta", name_="twitter:card")] == ["summary"], rel
        published, reviewed = (format_date(parse_partial_date(meta[f]), lang) for f in ("published", "reviewed"))
        line = re.search(r'<p class="page-meta">(.*?)</p>', html).group(1)
        labels = ("公開：", "最終確認：") if lang == "ja" else ("Published: ", "Last reviewed: ")
        assert f"{labels[0]}{published}" in line and f"{labels[1]}{reviewed}" in line, rel
        data = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        if source.startswith("briefings/") or source == "overview":
            article = json.loads(data[0])
            assert article["@type"] == "Article" and og["og:type"] == "article", rel
            assert article["headline"] == meta["title"] and article["inLanguage"] == lang, rel
            assert article["datePublished"] == str(meta["published"]), rel
            assert article["dateModified"] == str(meta["reviewed"]) and article["author"]["name"], rel
            assert article["url"] == page_url(site.site_url, rel), rel
        else:
            assert not data and og["og:type"] == "website", rel


def test_pages_load_the_theme_script_deferred_and_without_template_indentation(site):
    for path in [*site.pages(), site.root / "404.html"]:
        rel = path.relative_to(site.root).as_posix()
        html = site.html(rel)
        scripts = [t for t in tags(html, "script") if "bundle." in t.get("src", "")]
        assert len(scripts) == 1 and "defer" in scripts[0], rel
        assert not re.search(r"\n[ \t]+<", html.split("<pre")[0]), rel
