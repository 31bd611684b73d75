"""The checked site the extensions render from: loaded once per process, reloaded when a source changes.

Every page draws on the data files (registry, figures, timeline, glossary) and the Sources page
on every other page's citations, so the extensions render from the same `SiteIndex` that
`scripts/docs.py check` checks. A site with problems is not rendered: the first page to need it
raises `SiteProblems` with the full report, so a generator without the project's hooks still
stops on an author's mistake.

The MkDocs hook instead lets the build go on (`report_problems_later`), so that MkDocs' own link
and anchor validation reports in the same run, and fails the build at its end: the extensions
then render what they can and leave the rest as written.
"""

from __future__ import annotations

import time
from pathlib import Path

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from ..checks.site import SiteIndex, check_site, fingerprint
from ..inputs.site_model import Problem, report
from .context import PageContext, page_context


class SiteProblems(Exception):
    """The site's sources have problems (the message is the report, one `file:line` per problem)."""


_cache: dict[Path, tuple[tuple, SiteIndex, list[Problem]]] = {}
_reported_later: set[Path] = set()


# How often the sources are looked at for changes: once per build of ~30 pages, and soon enough
# for a live-reloading server (a save is seen within a second).
RECHECK_SECONDS = 1.0
_looked: dict[Path, float] = {}


def site_and_problems(root: Path, fresh: bool = False) -> tuple[SiteIndex, list[Problem]]:
    """The project's site as checked and its problems (checked again only when a source changed).

    `fresh`: look at the sources now (a build starting), not only when a second has passed.
    """
    root = root.resolve()
    cached = _cache.get(root)
    if cached and not fresh and time.monotonic() - _looked.get(root, 0) < RECHECK_SECONDS:
        return cached[1], cached[2]
    docs = root / "docs"
    current = fingerprint(docs, root)
    _looked[root] = time.monotonic()
    if not cached or cached[0] != current:
        site, problems = check_site(docs, root)
        cached = _cache[root] = (current, site, problems)
    return cached[1], cached[2]


def report_problems_later(root: Path) -> None:
    """The caller reports the problems of `root` at the end of the build; render what can be rendered."""
    _reported_later.add(root.resolve())


def checked_site(root: Path) -> SiteIndex:
    """The checked site of the project at `root`; raises SiteProblems when the checks fail."""
    site, problems = site_and_problems(root)
    if problems and root.resolve() not in _reported_later:
        raise SiteProblems(report(problems))
    return site


class SiteExtension(Extension):
    """Base of the extensions that render from the checked site. Config: `root`, the project folder."""

    def __init__(self, **kwargs):
        self.config = {"root": ["", "The project folder (docs/, data/); default: the generator's project"]}
        super().__init__(**kwargs)


class SiteProcessor:
    """Mixin of a processor that renders from the checked site: the page being rendered and that site."""

    def __init__(self, md: Markdown, root: str):
        super().__init__(md)
        self.root = root

    def project_root(self, context: PageContext) -> Path:
        """The project folder: the extension's `root` option, or the one the generator builds."""
        return Path(self.root) if self.root else context.root

    def page_and_site(self) -> tuple[PageContext, SiteIndex] | None:
        """None outside a generator (no page): the processor then leaves the text as it is.

        Looked up once per page (the first processor checks the sources for changes; the
        others of the same page reuse what it found).
        """
        found = getattr(self.md, "rnk_page_and_site", None)
        if found is None:
            context = page_context(self.md)
            if context is None:
                return None
            found = context, checked_site(self.project_root(context))
            self.md.rnk_page_and_site = found
        return found


class _StartPage(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        self.md.rnk_page_and_site = None  # a new page (Zensical may reuse the Markdown instance)
        self.md.rnk_document_serialised = False
        return lines


class _TreeDone(Treeprocessor):
    def run(self, root) -> None:
        self.md.rnk_document_serialised = True


def track_page(md: Markdown) -> None:
    """Mark where a page's rendering is: `md.rnk_document_serialised` is True once the tree is complete.

    The `toc` extension runs the postprocessors on each heading's text while it builds the table
    of contents; the project's postprocessors work on the whole page only, so they wait for this.
    """
    md.preprocessors.register(_StartPage(md), "rnk_start_page", 100)
    md.treeprocessors.register(_TreeDone(md), "rnk_tree_done", -100)


def whole_page(md: Markdown) -> bool:
    """Whether a postprocessor is given the whole page (not one heading's text, see `track_page`)."""
    return getattr(md, "rnk_document_serialised", True)
