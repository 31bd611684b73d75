"""Python-Markdown extension: the site's data blocks and figure references, rendered from the checked data.

A page asks for generated content with one-line markers; this extension replaces them before
Markdown parses the page, in the page's language:

| marker | becomes |
|---|---|
| `[[fig:ID]]` | the value of figure ID of `data/figures.yml`, in the page's notation |
| `<!-- timeline -->` | the timeline of `data/timeline.yml` |
| `<!-- figures-table -->` | the key figures ledger as a cited table |
| `<!-- figures-chart: ID ID … -->` | an accessible SVG chart of those figures |
| `<!-- glossary: KIND KIND … -->` | the glossary entries of those kinds |
| `<!-- source-list -->` | every registry entry, with the pages and sections citing it |
| `<!-- map: ID -->` | a locator map of data/maps.yml: the caption and places (checks), the SVG (`maps`) |
| `<!-- download -->` | the offline bundle's link, size, date and checksum (from `dist/`) |

The figure references and the blocks that carry footnote citations (timeline, figures table,
glossary, a map's caption and places) are expanded first, as the checks expanded them; the
`citations` extension (registered after this one) then writes the citations out; the blocks drawn
from the data that hold none (source list, charts, a map's drawing, download) come after it.
Markers that name unknown ids are author mistakes reported by the checks.

Config: `root`: the project folder (with `docs/` and `data/`); empty (the default) means the one
the generator builds.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.preprocessors import Preprocessor

from ..checks import site as checks
from ..inputs import citations, geodata, ledger
from . import downloads, maps
from .site import SiteExtension, SiteProcessor
from .urls import url_to

# Before Python-Markdown's own preprocessors (normalize_whitespace is 30): the output is Markdown.
PRIORITY = 36
# The drawings after the citations (PRIORITY - 1), which then read each page as the checks did.
DRAWINGS_PRIORITY = PRIORITY - 1.25


class DataBlocksPreprocessor(SiteProcessor, Preprocessor):
    """Replace the figure references and the data blocks that hold citations (as the checks expanded them)."""

    def run(self, lines: list[str]) -> list[str]:
        found = self.page_and_site()
        if found is None:
            return lines
        context, site = found
        lang = context.language
        text = "\n".join(lines)
        checked = site.pages.get(lang, {}).get(context.path)
        if checked and text.strip() == site.written.get(lang, {}).get(context.path, "").strip():
            return checked.page.body.split("\n")  # the page as written: expanded already, when it was checked
        # Another generator's rendering of the page.
        return checks.expand_blocks(text, lang, site, context.path, 1, context.path)[0].split("\n")


class DrawingsPreprocessor(SiteProcessor, Preprocessor):
    """Replace the blocks drawn from the data that hold no citation: source list, charts, maps, download."""

    def run(self, lines: list[str]) -> list[str]:
        found = self.page_and_site()
        if found is None:
            return lines
        context, site = found
        root = self.project_root(context)
        lang = context.language
        text = "\n".join(lines)
        if checks.SOURCE_LIST_MARKER in text:
            text = text.replace(
                checks.SOURCE_LIST_MARKER, citations.render_source_list(lang, site.sources, site.pages[lang])
            )
        sources_url = url_to(context, citations.SOURCES_PAGE)
        charts = iter(range(1, text.count("<!-- figures-chart:") + 1))
        text = checks.CHART_MARKER.sub(
            lambda m: (
                ledger.render_chart(
                    [site.figures[i] for i in m.group(1).split()],
                    lang,
                    sources_url,
                    f"chart-{next(charts)}",
                    site.sources,
                )
                if all(i in site.figures for i in m.group(1).split())
                else m.group(0)
            ),  # an unknown id: the checks report it
            text,
        )
        for locator_map in site.maps.values():
            marker = geodata.SVG_MARKER.format(id=locator_map.id)
            if marker in text:
                terms = {entry.id: entry for entry in site.terms}
                # On the places page itself, the fragment alone (generators write a link to the same page differently).
                places_url = "" if context.path == geodata.PLACES_PAGE else url_to(context, geodata.PLACES_PAGE)
                names = {p.id: terms[p.id].name[lang] for p in locator_map.places}
                links = {p.id: f"{places_url}#{terms[p.id].anchor()}" for p in locator_map.places}
                text = geodata.split_map_text(text, locator_map, maps.render_map(root, locator_map, names, links, lang))
        if downloads.DOWNLOAD_MARKER in text:
            download = downloads.render_download(context, root)
            text = text.replace(downloads.DOWNLOAD_MARKER, download)
        return text.split("\n")


class DataBlocksExtension(SiteExtension):
    """Render the data blocks and figure references of the site's pages."""

    def extendMarkdown(self, md: Markdown) -> None:
        root = self.getConfig("root")
        md.preprocessors.register(DataBlocksPreprocessor(md, root), "rnk_data_blocks", PRIORITY)
        md.preprocessors.register(DrawingsPreprocessor(md, root), "rnk_drawings", DRAWINGS_PRIORITY)


def makeExtension(**kwargs) -> DataBlocksExtension:
    return DataBlocksExtension(**kwargs)
