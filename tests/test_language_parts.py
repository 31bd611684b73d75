"""Language of parts (WCAG 2.2, 3.1.2): Japanese text on English pages, and English titles on Japanese pages, carry their lang."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown

# Kana, kanji, CJK punctuation and full-width forms: what a screen reader must read in Japanese.
JAPANESE = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]+")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Runs(HTMLParser):
    """Runs of Japanese text in text nodes whose nearest lang is not ja (script/style and attributes ignored)."""

    def __init__(self, skip_class: str | None = None):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None, bool]] = []
        self.unmarked: list[tuple[str, str]] = []
        self.skip_class = skip_class

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attrs = dict(attrs)
        skipped = bool(self.skip_class and self.skip_class in (attrs.get("class") or "").split())
        self.stack.append((tag, attrs.get("lang"), skipped))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if any(tag in ("script", "style") or skipped for tag, _, skipped in self.stack):
            return
        lang = next((lang for _, lang, _ in reversed(self.stack) if lang), None)
        if lang != "ja":
            self.unmarked += [(m.group(0), "/".join(t for t, _, _ in self.stack[-3:])) for m in JAPANESE.finditer(data)]


def unmarked_runs(html: str, skip_class: str | None = None) -> list[tuple[str, str]]:
    parser = _Runs(skip_class)
    parser.feed(html)
    return parser.unmarked


def test_english_pages_mark_every_run_of_japanese_text(site):
    english = [p for p in site.pages() if p.relative_to(site.root).parts[0] == "en"]
    assert len(english) >= 14
    found = {}
    for path in english:
        runs = unmarked_runs(path.read_text(encoding="utf-8"), skip_class="md-select")  # the switcher: below
        if runs:
            found[path.relative_to(site.root).as_posix()] = runs[:5]
    assert found == {}
    # The pages do hold Japanese text (quotations, section names, titles): it is marked, not absent.
    sources = site.html("en/sources/index.html")
    assert sources.count('<span lang="ja">') >= 3
    assert '<span lang="ja">「正恩氏、「戦勝記念日」前にロシア派兵の見返り要求か」</span>' in sources


def test_the_language_switcher_names_japanese_in_japanese(site):
    switcher = re.search(r'<div class="md-select__inner">.*?</div>', site.html("en/index.html"), re.S).group(0)
    assert unmarked_runs(switcher) == []


def test_citations_mark_the_copys_headings_and_titles_in_their_language(site):
    en = site.html("en/briefings/motives/index.html")
    assert re.search(r'section "<span lang="ja">[^<]+</span>"', en)
    ja_sources = site.html("sources/index.html")
    # Kelly's original (English) title on the Japanese Sources page.
    assert '<span lang="en">The Russia-North Korea Alliance Might Be Destined to Fade</span>' in ja_sources
    # The glossary lists each entry's other-language name in its language.
    assert '(<span lang="ja">包括的戦略パートナーシップ条約</span>)' in site.html("en/glossary/index.html")
    assert '（<span lang="en">Treaty on Comprehensive Strategic Partnership</span>）' in site.html(
        "glossary/index.html"
    )


def _render(text: str, language: str = "en") -> str:
    extension = "rnk_briefings.mdx.language_parts"
    return markdown.markdown(
        text,
        extensions=["footnotes", "attr_list", "md_in_html", extension],
        extension_configs={extension: {"page_language": language}},
    )


def test_the_treeprocessor_wraps_runs_but_not_code_marked_text_or_japanese_pages():
    html = _render(
        'In 「米韓への挑発」 and **強調** `コード` <span lang="ja">既に</span> <a href="x">リンク</a>.\n\n'
        "    日本語のコード\n"
    )
    assert '<span lang="ja">「米韓への挑発」</span>' in html
    assert '<strong><span lang="ja">強調</span></strong>' in html
    assert "<code>コード</code>" in html and '<span lang="ja">日本語のコード' not in html
    assert '<span lang="ja">既に</span>' in html and '<span lang="ja"><span lang="ja">' not in html
    assert '<a href="x"><span lang="ja">リンク</span></a>' in html
    assert unmarked_runs(html.replace("<code>コード</code>", "").split("<pre>")[0]) == []
    assert "<span" not in _render("「米韓への挑発」", language="ja")
    # Outside a generator (no page) and without a configured language, nothing changes.
    assert "<span" not in markdown.markdown("「米韓」", extensions=["rnk_briefings.mdx.language_parts"])


def test_the_treeprocessor_marks_footnotes_and_tails_after_inline_elements():
    html = _render("Text.[^a] *x* 後ろ\n\n[^a]: Kelly, 冒頭.\n")
    assert '<em>x</em> <span lang="ja">後ろ</span>' in html
    assert '<span lang="ja">冒頭</span>' in html
    assert unmarked_runs(html) == []
