"""The checked site the extensions render from: loaded once per process, reloaded when a source changes.

Every page draws on the data files (registry, figures, timeline, glossary) and the Sources page
on every other page's citations, so the extensions render from the same `SiteIndex` that
`scripts/docs.py check` checks. A site with problems is not rendered: the first page to need it
raises `SiteProblems` with the full report, so a generator without the project's hooks still
stops on an author's mistake.

The MkDocs hook instead lets the build go on (`start_checks`), so that MkDocs' own link and
anchor validation reports in the same run, and fails the build at its end: the extensions then
render what they can and leave the rest as written. Meanwhile the checks that only compare what
was read (the two languages, the revisions, the glossary's use: `checks.site.Comparisons`) run in
a second process where that is safe, and the build waits for their problems at its end.
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
import threading
import time
import traceback
from pathlib import Path

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from ..checks.site import Comparisons, SiteIndex, fingerprint, index_site
from ..inputs.site_model import Problem, report
from .context import PageContext, page_context


class SiteProblems(Exception):
    """The site's sources have problems (the message is the report, one `file:line` per problem)."""


class _ComparedLater:
    """The comparisons of `checks.site` run by a second process while this one renders the pages.

    They read only what is already loaded and change nothing the pages are rendered from, so a
    forked process runs them on its copy of the index and sends back their problems (the same list,
    in the same order, as `check_site`). Used only where forking is safe: on Linux, in a process
    with one thread (`mkdocs build`; not `mkdocs serve`, whose server runs threads).
    """

    def __init__(self, comparisons: Comparisons) -> None:
        context = multiprocessing.get_context("fork")
        self._answer, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_compare_and_send, args=(comparisons, send), daemon=True)
        # The objects both processes hold, out of the collector's reach until the comparisons end: a
        # collection would write to every one of them and make the system copy their memory (Python's
        # advice for fork without exec, `gc.freeze`).
        gc.freeze()
        self._process.start()
        send.close()
        self._problems: list[Problem] | None = None

    def problems(self) -> list[Problem]:
        if self._problems is None:
            try:
                answer = self._answer.recv()
            except EOFError:
                answer = "the process comparing the languages ended without an answer"
            self._process.join()
            gc.unfreeze()
            if isinstance(answer, str):  # the traceback of its failure
                raise RuntimeError(f"the checks failed:\n{answer}")
            self._problems = answer
        return self._problems


def _compare_and_send(comparisons: Comparisons, send) -> None:
    gc.disable()  # a short-lived process: collecting would only copy memory it shares with the build
    try:
        send.send(comparisons.run())
    except BaseException:
        send.send(traceback.format_exc())


def _can_fork() -> bool:
    return sys.platform == "linux" and threading.active_count() == 1


# Per project folder: what its sources looked like, its index, and its problems (or the comparisons under way).
_cache: dict[Path, tuple[tuple, SiteIndex, list[Problem] | _ComparedLater]] = {}
_reported_later: set[Path] = set()


# How often the sources are looked at for changes: once per build of ~30 pages, and soon enough
# for a live-reloading server (a save is seen within a second).
RECHECK_SECONDS = 1.0
_looked: dict[Path, float] = {}


def _checked(
    root: Path, fresh: bool, compare_while_rendering: bool
) -> tuple[SiteIndex, list[Problem] | _ComparedLater]:
    root = root.resolve()
    cached = _cache.get(root)
    if cached and not fresh and time.monotonic() - _looked.get(root, 0) < RECHECK_SECONDS:
        return cached[1], cached[2]
    docs = root / "docs"
    current = fingerprint(docs, root)
    _looked[root] = time.monotonic()
    if not cached or cached[0] != current:
        site, problems, comparisons = index_site(docs, root)
        if comparisons is None:
            found: list[Problem] | _ComparedLater = problems
        elif compare_while_rendering and _can_fork():
            found = _ComparedLater(comparisons)
        else:
            found = comparisons.run()
        cached = _cache[root] = (current, site, found)
    return cached[1], cached[2]


def site_and_problems(root: Path) -> tuple[SiteIndex, list[Problem]]:
    """The project's site as checked and its problems (checked again only when a source changed)."""
    site, found = _checked(root, fresh=False, compare_while_rendering=False)
    return site, found.problems() if isinstance(found, _ComparedLater) else found


def start_checks(root: Path) -> None:
    """Check the project's sources now, as a build starts; the comparisons run while the pages render.

    The caller reports the problems itself (`site_and_problems`, which waits for the comparisons),
    so the pages are rendered as they are meanwhile (`checked_site`).
    """
    _reported_later.add(root.resolve())
    _checked(root, fresh=True, compare_while_rendering=True)


def checked_site(root: Path) -> SiteIndex:
    """The checked site of the project at `root`; raises SiteProblems when the checks fail.

    When the build reports the problems at its end, the site is rendered as it is, without waiting.
    """
    if root.resolve() in _reported_later:
        return _checked(root, fresh=False, compare_while_rendering=False)[0]
    site, problems = site_and_problems(root)
    if problems:
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
