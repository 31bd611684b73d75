"""Python-Markdown extension: "Cite this page" at the end of each briefing, and the data-download links.

- Each briefing (`briefings/*.md`) gets 「このページを引用する」 / "Cite this page": the recommended
  citation of the page's current version (site name, title, the date of its newest revision, its
  published address from `site_url`) in a code block with Material's copy button (the `.copy`
  class: no script of the project's own), and a link to the same citation as BibTeX.
- `<!-- data-downloads: NAME -->` (NAME `figures` or `timeline`) becomes links to that dataset as
  CSV and JSON in the page's language, with the licence of the data (rendered by `downloads`).

The files linked to are written after the build by `rnk_briefings.outputs` (both generators).
Register it after `revisions`. Config: `root`: the project folder; empty (the default) means the
one the generator builds.
"""

from __future__ import annotations

from pathlib import Path

from markdown import Markdown
from markdown.preprocessors import Preprocessor

from ..inputs import publication, revisions
from ..inputs.data_files import html_text
from .context import PageContext
from .downloads import render_downloads
from .revisions import PRIORITY as REVISIONS_PRIORITY
from .site import SiteExtension, SiteProcessor
from .urls import link_from

CITE_WORDS = {
    "ja": {"heading": "このページを引用する", "bibtex": "BibTeX形式でダウンロード"},
    "en": {"heading": "Cite this page", "bibtex": "Download as BibTeX"},
}


def render_cite(context: PageContext, page, root: Path) -> str:
    """The cite block of a briefing (Markdown with raw HTML)."""
    lang = context.language
    version = revisions.version_date(page)
    config = publication.settings(root)
    url = publication.web_url(config.site_url, lang, context.path)
    text = publication.citation_text(lang, config.site_name[lang], page.meta["title"], version, url)
    bib = link_from(context, publication.download_name(context.path))
    words = CITE_WORDS[lang]
    return (
        f"\n\n## {words['heading']} {{#cite}}\n\n"
        f'<pre class="copy"><code>{html_text(text)}</code></pre>\n\n'
        f'<p><a href="{bib}">{words["bibtex"]}</a></p>\n'
    )


class CitePreprocessor(SiteProcessor, Preprocessor):
    """Append the cite block to briefings; expand the data-download markers."""

    def run(self, lines: list[str]) -> list[str]:
        found = self.page_and_site()
        if found is None:
            return lines
        context, site = found
        root = self.project_root(context)
        text = "\n".join(lines)
        licence = publication.settings(root).licence
        text = publication.DOWNLOADS_MARKER.sub(lambda m: render_downloads(context, m.group(1).strip(), licence), text)
        checked = site.pages.get(context.language, {}).get(context.path)
        if checked and context.path.startswith(publication.CITE_PAGES) and revisions.version_date(checked.page):
            text += render_cite(context, checked.page, root)
        return text.split("\n")


class CiteExtension(SiteExtension):
    """Render "Cite this page" on the briefings and the data-download links."""

    def extendMarkdown(self, md: Markdown) -> None:
        # Before `revisions`: the history comes last, after the cite block.
        md.preprocessors.register(CitePreprocessor(md, self.getConfig("root")), "rnk_cite", REVISIONS_PRIORITY + 0.5)


def makeExtension(**kwargs) -> CiteExtension:
    return CiteExtension(**kwargs)
