"""Python-Markdown extension: runs of Japanese text on English pages marked `lang="ja"` (WCAG 2.2, 3.1.2).

The renderers mark what they emit (a Japanese title or section name in a citation, the Japanese
name in a glossary entry: `data_files.lang_span`). This treeprocessor marks the rest: on a page
in another language than `wrap`, every run of kana, kanji and CJK punctuation in a text node
that is not already inside an element with `lang="ja"` (in the tree, or opened by an inline raw
HTML tag of the page such as `<span lang="ja">`) is wrapped in `<span lang="ja">`, so a screen
reader switches voice. Code (`code`, `pre`, `kbd`, `samp`) and `script`/`style` are left alone;
raw HTML blocks are not in the tree and are left as written.

It runs after inline parsing (20), `attr_list` (8) and `abbr` (7), and before `toc` (5), which
reads the headings' text and is unaffected by the spans.

Config:
- `wrap`: the language whose runs are marked (default `ja`; the pattern covers Japanese script);
- `page_language`: the page's language; empty (the default) means the page being built, from
  `rnk_briefings.mdx.context.page_context` (outside a generator nothing is marked);
- `skip`: tags whose text is never marked.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER

from .context import page_context

PRIORITY = 6

# Hiragana, katakana (with the long-vowel mark and the middle dot), CJK ideographs, CJK symbols
# and punctuation (「」、。), full-width forms (～（）！). Digits and Latin letters between two such
# characters stay in the run (2024年6月19日, SLVで) so that a run is one span, not several.
_SCRIPT = "\u3000-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
JAPANESE_RUN = re.compile(rf"(?:[0-9]+)?[{_SCRIPT}]+(?:[0-9A-Za-z.,%]+[{_SCRIPT}]+)*")
_PLACEHOLDER = re.compile("(" + HTML_PLACEHOLDER.replace("%s", r"\d+") + ")")
_PLACEHOLDER_ID = re.compile(HTML_PLACEHOLDER.replace("%s", r"(\d+)"))
# A character that starts either: text without one has nothing to mark or follow (most text).
_WORK = re.compile(f"[{HTML_PLACEHOLDER[0]}{_SCRIPT}]")
_TAG = re.compile(r"^<(/?)([A-Za-z][\w-]*)([^>]*?)(/?)>$", re.S)
_LANG = re.compile(r"""\blang\s*=\s*["']?([A-Za-z-]+)""")
VOID = {"br", "hr", "img", "input", "wbr", "meta", "link", "source", "track", "col", "area", "base", "embed"}


class LanguagePartsTreeprocessor(Treeprocessor):
    """Wrap unmarked runs of the `wrap` language's script in `<span lang>`."""

    def __init__(self, md: Markdown, wrap: str, page_language: str, skip: set[str]):
        super().__init__(md)
        self.wrap, self.page_language, self.skip = wrap, page_language, skip
        self._raw: list[tuple[str, str | None]] = []  # elements opened by inline raw HTML tags: (tag, lang)

    def run(self, root: etree.Element) -> None:
        language = self.page_language
        if not language:
            context = page_context(self.md)
            language = context.language if context else ""
        if not language or language == self.wrap:
            return
        self._raw = []
        self._walk(root, language)

    # --- the walk, in document order ------------------------------------------------------------

    def _walk(self, element: etree.Element, inherited: str) -> None:
        lang = element.get("lang") or inherited
        if element.tag in self.skip:
            return
        marked = False  # spans inserted among the children (their marker attribute is removed below)
        if element.text:
            pieces = self._split(element.text, lang)
            marked = len(pieces) > 1
            element.text = pieces[0]
            for offset, (span, tail) in enumerate(zip(pieces[1::2], pieces[2::2], strict=True)):
                span.tail = tail
                element.insert(offset, span)
        index = 0
        while index < len(element):
            child = element[index]
            if not (child.tag == "span" and child.get("data-lang-part") == ""):
                self._walk(child, lang)
            index += 1
            if child.tail:
                pieces = self._split(child.tail, lang)
                child.tail = pieces[0]
                for span, tail in zip(pieces[1::2], pieces[2::2], strict=True):
                    span.tail = tail
                    element.insert(index, span)
                    index += 1
                    marked = True
        if marked:
            for child in element:
                if child.get("data-lang-part") == "":
                    del child.attrib["data-lang-part"]

    def _current(self, tree_lang: str) -> str:
        """The language in force: the innermost raw HTML element with a lang, else the tree's."""
        for _, lang in reversed(self._raw):
            if lang:
                return lang
        return tree_lang

    def _split(self, text: str, tree_lang: str) -> list:
        """[text, span, text, span, …, text]: the text with its unmarked runs taken out as spans."""
        if not _WORK.search(text):
            return [text]
        pieces: list = []
        buffer = ""
        for token in _PLACEHOLDER.split(text):
            if _PLACEHOLDER.fullmatch(token):
                self._track(token)
                buffer += token
                continue
            if self._current(tree_lang) == self.wrap:
                buffer += token
                continue
            position = 0
            for match in JAPANESE_RUN.finditer(token):
                pieces.append(buffer + token[position : match.start()])
                span = etree.Element("span", {"lang": self.wrap, "data-lang-part": ""})
                span.text = match.group(0)
                pieces.append(span)
                buffer, position = "", match.end()
            buffer += token[position:]
        pieces.append(buffer)
        return pieces

    def _track(self, placeholder: str) -> None:
        """Follow the elements that inline raw HTML tags (stashed by Python-Markdown) open and close."""
        number = int(_PLACEHOLDER_ID.fullmatch(placeholder).group(1))
        blocks = self.md.htmlStash.rawHtmlBlocks
        raw = blocks[number] if number < len(blocks) else None
        tag = _TAG.match(raw.strip()) if isinstance(raw, str) else None
        if not tag:
            return
        closing, name, attributes, self_closing = tag.groups()
        name = name.lower()
        if closing:
            for index in range(len(self._raw) - 1, -1, -1):
                if self._raw[index][0] == name:
                    del self._raw[index:]
                    break
        elif not self_closing and name not in VOID:
            lang = _LANG.search(attributes)
            self._raw.append((name, lang.group(1) if lang else None))


class LanguagePartsExtension(Extension):
    """Mark runs of Japanese text on English pages with `lang="ja"`."""

    def __init__(self, **kwargs):
        self.config = {
            "wrap": ["ja", "The language whose runs of script are marked (Japanese script)"],
            "page_language": ["", "The page's language; empty: the page being built (page_context)"],
            "skip": [["code", "pre", "kbd", "samp", "script", "style"], "Tags whose text is never marked"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        processor = LanguagePartsTreeprocessor(
            md, self.getConfig("wrap"), self.getConfig("page_language"), set(self.getConfig("skip"))
        )
        md.treeprocessors.register(processor, "rnk_language_parts", PRIORITY)


def makeExtension(**kwargs) -> LanguagePartsExtension:
    return LanguagePartsExtension(**kwargs)
