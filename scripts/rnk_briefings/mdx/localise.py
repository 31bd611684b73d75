"""Python-Markdown extension: footnotes and heading links named in the page's language.

Python-Markdown names footnote markers and back-links, and the `toc` extension heading links,
in English only. After the page is rendered this extension names them in the page's language
(accessible names, no `title`, so no tooltip is set up for them), letters the back-links of a
note cited more than once (a, b, c) and keeps the notes out of the search index. It also gives
each table cell its column's heading (`label_cells`), which a phone shows when it stacks a
table's rows (docs/assets/site.css).

Register it with `footnotes` and `toc` (`permalink: true`, `permalink_title: ""`).
"""

from __future__ import annotations

import re

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

from ..inputs.citations import localise_footnotes
from ..inputs.site_model import name_permalinks
from .context import page_context
from .site import track_page, whole_page

# After Python-Markdown's own postprocessors (footnotes 25 writes the back-links) and glossary_terms (11).
PRIORITY = 10


class LocalisePostprocessor(Postprocessor):
    """Name the page's footnote markers, back-links and heading links in its language."""

    def run(self, text: str) -> str:
        context = page_context(self.md) if whole_page(self.md) else None
        if context is None:
            return text
        return label_cells(name_permalinks(localise_footnotes(text, context.language), context.language))


TABLE = re.compile(r"<table>\s*<thead>\s*<tr>(.*?)</tr>\s*</thead>(.*?)</table>", re.S)
HEADING_CELL = re.compile(r"<th[^>]*>(.*?)</th>", re.S)
ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
CELL = re.compile(r"<td[^>]*>")
TAGS = re.compile(r"<[^>]+>")


def label_cells(html: str) -> str:
    """Each body cell of a Markdown table starts with its column's heading, shown only where a
    narrow screen stacks the rows (hidden otherwise, and never indexed for search)."""

    def table(match: re.Match) -> str:
        headings = [TAGS.sub("", h).strip() for h in HEADING_CELL.findall(match.group(1))]

        def row(row_match: re.Match) -> str:
            columns = iter(headings)

            def cell(cell_match: re.Match) -> str:
                heading = next(columns, "")
                label = f'<span class="cell-label" data-search-exclude>{heading}</span>' if heading else ""
                return cell_match.group(0) + label

            return "<tr>" + CELL.sub(cell, row_match.group(1)) + "</tr>"

        return match.group(0)[: match.start(2) - match.start(0)] + ROW.sub(row, match.group(2)) + "</table>"

    return TABLE.sub(table, html)


class LocaliseExtension(Extension):
    """Name footnotes and heading links in the page's language."""

    def extendMarkdown(self, md: Markdown) -> None:
        track_page(md)
        md.postprocessors.register(LocalisePostprocessor(md), "rnk_localise", PRIORITY)


def makeExtension(**kwargs) -> LocaliseExtension:
    return LocaliseExtension(**kwargs)
