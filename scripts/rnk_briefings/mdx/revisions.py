"""Python-Markdown extension: each page's revision history at its foot, and the What's new list.

- Every page ends (before its footnotes) with 「改訂履歴」 / "Revision history": the entries of
  its front matter's `revisions:`, newest first, corrections marked (see `rnk_briefings.revisions`).
- `<!-- whats-new -->` becomes the latest changes across the site in the page's language, newest
  first, each linking to the page and to the section where the entry names one. The links are
  Markdown links to the pages' sources, so the generator resolves them (and MkDocs `validation:`
  checks their anchors).

Register it after `citations` (it adds no citations). Config: `root`: the project folder; empty
(the default) means the one the generator builds.
"""

from __future__ import annotations

import posixpath

from markdown import Markdown
from markdown.preprocessors import Preprocessor

from ..inputs import publication, revisions
from ..inputs.data_files import html_text, md_text
from .citations import DATA_BLOCKS_PRIORITY
from .context import PageContext
from .site import SiteExtension, SiteProcessor
from .urls import link_from

WHATS_NEW_MARKER = "<!-- whats-new -->"
# After citations (DATA_BLOCKS_PRIORITY - 1), before Python-Markdown's normalize_whitespace (30).
PRIORITY = DATA_BLOCKS_PRIORITY - 2
FEED_WORDS = {"ja": "Atomフィードで購読する", "en": "Subscribe with the Atom feed"}


def render_whats_new(context: PageContext, site) -> str:
    """The site's changes in the page's language as a Markdown list, and the feed's link."""
    lang = context.language
    items = []
    for change in revisions.changes(site.pages[lang]):
        revision = change.revision
        target = posixpath.relpath(change.path, posixpath.dirname(context.path) or ".")
        # This page itself unlinked (the generators write a link to the page itself differently).
        page = md_text(change.title) if change.path == context.path else f"[{md_text(change.title)}]({target})"
        if change.section:
            section = f"[{md_text(change.section)}]({target}#{revision.section})"
            page += f"（{section}）" if lang == "ja" else f" ({section})"
        mark = revisions.CORRECTION[lang] if revision.correction else ""
        mark = f"**{mark}**{'：' if lang == 'ja' else ': '}" if mark else ""
        day = revision.date
        date = f'<time datetime="{day.isoformat()}">{html_text(revisions.display_date(day, lang))}</time>'
        items.append(
            f"- {date}　{page}：{mark}{md_text(revision.summary)}"
            if lang == "ja"
            else f"- {date} — {page}: {mark}{md_text(revision.summary)}"
        )
    feed = link_from(context, publication.FEED)
    link = f'<p class="feed"><a href="{feed}">{FEED_WORDS[lang]}</a></p>'
    return link + "\n\n" + "\n".join(items) + "\n"


class RevisionsPreprocessor(SiteProcessor, Preprocessor):
    """Append the revision history; expand the What's new marker."""

    def run(self, lines: list[str]) -> list[str]:
        found = self.page_and_site()
        if found is None:
            return lines
        context, site = found
        checked = site.pages.get(context.language, {}).get(context.path)
        if checked is None:  # the checks found problems (reported at the end of the build)
            return lines
        page, text = checked.page, "\n".join(lines)
        if WHATS_NEW_MARKER in text:
            text = text.replace(WHATS_NEW_MARKER, render_whats_new(context, site))
        return (text + revisions.render_history(page, context.language)).split("\n")


class RevisionsExtension(SiteExtension):
    """Render each page's revision history and the What's new list."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(RevisionsPreprocessor(md, self.getConfig("root")), "rnk_revisions", PRIORITY)


def makeExtension(**kwargs) -> RevisionsExtension:
    return RevisionsExtension(**kwargs)
