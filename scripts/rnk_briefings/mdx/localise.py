"""Python-Markdown extension: footnotes and heading links named in the page's language.

Python-Markdown names footnote markers and back-links, and the `toc` extension heading links,
in English only. After the page is rendered this extension names them in the page's language
(accessible names, no `title`, so no tooltip is set up for them), letters the back-links of a
note cited more than once (a, b, c) and keeps the notes out of the search index.

Register it with `footnotes` and `toc` (`permalink: true`, `permalink_title: ""`).
"""

from __future__ import annotations

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
        return name_permalinks(localise_footnotes(text, context.language), context.language)


class LocaliseExtension(Extension):
    """Name footnotes and heading links in the page's language."""

    def extendMarkdown(self, md: Markdown) -> None:
        track_page(md)
        md.postprocessors.register(LocalisePostprocessor(md), "rnk_localise", PRIORITY)


def makeExtension(**kwargs) -> LocaliseExtension:
    return LocaliseExtension(**kwargs)
