"""Python-Markdown extension: footnote citations written out in the page's language, and the page's date line.

Authors cite with standard footnotes whose definition names a registry key and a locator:

    2024年10月には1万1000～1万3000人が派遣された[^wt-troops]。

    [^wt-troops]: @salmon-2025, 冒頭

Before Markdown parses the page, each such definition becomes the full citation (author, title,
outlet, date, locator) in the page's language, linked to the source's entry on the Sources page
and to the source's own URL; notes that cite the same section of the same source are merged
into one, with a back-link to each place citing it; Python-Markdown's `footnotes` extension then
numbers them. The
line under the title (published, last reviewed, the period the sources cover) is put first.

Register it after `data_blocks` (its blocks hold citations too) and with `footnotes`.

Config: `root`: the project folder (with `docs/` and `data/`); empty (the default) means the one
the generator builds.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.preprocessors import Preprocessor

from ..inputs import citations, timeline
from ..inputs.site_model import PageSource
from .data_blocks import PRIORITY as DATA_BLOCKS_PRIORITY
from .site import SiteExtension, SiteProcessor
from .urls import url_to


class CitationsPreprocessor(SiteProcessor, Preprocessor):
    """Write out the page's citations and put its date line first."""

    def run(self, lines: list[str]) -> list[str]:
        found = self.page_and_site()
        if found is None:
            return lines
        context, site = found
        lang = context.language
        checked = site.pages.get(lang, {}).get(context.path)
        if checked is None or checked.page.problems:
            return lines  # a site with problems: the build fails, and its report says why
        text = "\n".join(lines)
        if text.strip() == checked.page.body.strip():  # as checked (the usual case): its citations are known
            if checked.problems:
                return lines
            page, cited = checked.page, checked
        else:  # another generator's rendering of the page: read its citations anew
            page = PageSource(checked.page.path, checked.page.meta, text, checked.page.body_line, [])
            cited = citations.parse_page(page, site.sources)
            if cited.problems:
                return lines
        text = citations.merge_repeated_notes(text)
        text = citations.render_definitions(text, url_to(context, citations.SOURCES_PAGE), lang, cited, site.sources)
        return (
            citations.render_page_meta(lang, page.meta, cited, site.sources, timeline.coverage_text(site.events, lang))
            + text
        ).split("\n")


class CitationsExtension(SiteExtension):
    """Render the site's footnote citations and each page's date line."""

    def extendMarkdown(self, md: Markdown) -> None:
        processor = CitationsPreprocessor(md, self.getConfig("root"))
        md.preprocessors.register(processor, "rnk_citations", DATA_BLOCKS_PRIORITY - 1)


def makeExtension(**kwargs) -> CitationsExtension:
    return CitationsExtension(**kwargs)
