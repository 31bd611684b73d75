"""Python-Markdown extension: glossary terms explained where a page first uses them.

After the page is rendered, the first use of each glossary entry (of the kinds that are
explained in running text: terms, organisations, weapons, events) is wrapped in an `<abbr>`
whose title is the entry's note in the page's language; Material's `content.tooltips` shows it
on hover and focus. Pages that list the glossary entries themselves are left alone.

Config: `root`: the project folder (with `data/glossary.yml`); empty (the default) means the one
the generator builds.
"""

from __future__ import annotations

from pathlib import Path

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

from .. import glossary
from .context import page_context
from .site import checked_site

# After Python-Markdown's own postprocessors (raw HTML 30, footnotes 25, ampersands 20): the text is final HTML.
PRIORITY = 11


class GlossaryTermsPostprocessor(Postprocessor):
    """Explain the first use of each glossary entry on the page."""

    def __init__(self, md: Markdown, root: str):
        super().__init__(md)
        self.root = root

    def run(self, text: str) -> str:
        context = page_context(self.md)
        if context is None:
            return text
        site = checked_site(Path(self.root) if self.root else context.root)
        if context.path in site.glossary_pages.get(context.language, {}):
            return text  # the page lists the entries in full
        return glossary.annotate_terms(text, site.terms, context.language)


class GlossaryTermsExtension(Extension):
    """Explain glossary terms on hover."""

    def __init__(self, **kwargs):
        self.config = {"root": ["", "The project folder (data/); default: the generator's project"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.postprocessors.register(
            GlossaryTermsPostprocessor(md, self.getConfig("root")), "rnk_glossary_terms", PRIORITY
        )


def makeExtension(**kwargs) -> GlossaryTermsExtension:
    return GlossaryTermsExtension(**kwargs)
