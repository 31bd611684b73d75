"""Python-Markdown extension: glossary terms explained where a page first uses them.

After the page is rendered, the first use of each glossary entry (of the kinds that are
explained in running text: terms, organisations, weapons, events) is wrapped in an `<abbr>`
whose title is the entry's note in the page's language; Material's `content.tooltips` shows it
on hover and focus. Pages that list the glossary entries themselves are left alone.

Config: `root`: the project folder (with `data/glossary.yml`); empty (the default) means the one
the generator builds.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.postprocessors import Postprocessor

from ..inputs import glossary
from .site import SiteExtension, SiteProcessor, track_page, whole_page

# After Python-Markdown's own postprocessors (raw HTML 30, footnotes 25, ampersands 20): the text is final HTML.
PRIORITY = 11


class GlossaryTermsPostprocessor(SiteProcessor, Postprocessor):
    """Explain the first use of each glossary entry on the page."""

    def run(self, text: str) -> str:
        found = self.page_and_site() if whole_page(self.md) else None
        if found is None:
            return text
        context, site = found
        if context.path in site.glossary_pages.get(context.language, {}):
            return text  # the page lists the entries in full
        return glossary.annotate_terms(text, site.terms, context.language)


class GlossaryTermsExtension(SiteExtension):
    """Explain glossary terms on hover."""

    def extendMarkdown(self, md: Markdown) -> None:
        track_page(md)
        md.postprocessors.register(
            GlossaryTermsPostprocessor(md, self.getConfig("root")), "rnk_glossary_terms", PRIORITY
        )


def makeExtension(**kwargs) -> GlossaryTermsExtension:
    return GlossaryTermsExtension(**kwargs)
