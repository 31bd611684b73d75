"""The checked site the extensions render from: loaded once per process, reloaded when a source changes.

Every page draws on the data files (registry, figures, timeline, glossary) and the Sources page
on every other page's citations, so the extensions render from the same `SiteIndex` that
`scripts/docs.py check` checks. A site with problems is not rendered: the first page to need it
raises `SiteProblems` with the full report, so a generator without the project's hooks still
stops on an author's mistake.

The MkDocs hook instead lets the build go on (`start_checks`), so that MkDocs' own link and
anchor validation reports in the same run, and fails the build at its end: the extensions then
render what they can and leave the rest as written. Where that is safe the checks run in a second
process meanwhile: it sends the checked site as soon as it is read (the pages render from it) and
the problems once the checks that only compare what was read (the two languages, the revisions,
the glossary's use: `checks.site.Comparisons`) are done; the build waits for those at its end.
"""

from __future__ import annotations

import gc
import multiprocessing
import pickle
import sys
import threading
import time
import traceback
from pathlib import Path

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from ..checks.site import SiteIndex, fingerprint, index_site
from ..inputs.site_model import Problem, report
from .context import PageContext, page_context


class SiteProblems(Exception):
    """The site's sources have problems (the message is the report, one `file:line` per problem)."""


class _CheckedHere:
    """The checks of `checks.site`, run in this process: the index, then the comparisons."""

    def __init__(self, docs: Path, root: Path) -> None:
        self._site, problems, comparisons = index_site(docs, root)
        self._problems = comparisons.run() if comparisons else problems

    def site(self) -> SiteIndex:
        return self._site

    def problems(self) -> list[Problem]:
        return self._problems


class _CheckedElsewhere:
    """The checks of `checks.site`, run by a second process while this one goes on building.

    The second process reads and checks the sources and sends the index, which this process renders
    the pages from (MkDocs lists the files, the theme and the navigation meanwhile); it then runs the
    comparisons, which only add problems, and sends those (the same list, in the same order, as
    `check_site`). Used only where forking is safe: on Linux, in a process with one thread
    (`mkdocs build`; not `mkdocs serve`, whose server runs threads). The build hook runs the
    content policy first, in this process, so that nothing it refuses is listed or read.
    """

    def __init__(self, docs: Path, root: Path) -> None:
        self._docs, self._root = docs, root
        self._here: _CheckedHere | None = None  # when the index could not be sent (see _check_and_send)
        context = multiprocessing.get_context("fork")
        self._answers, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_check_and_send, args=(docs, root, send), daemon=True)
        # The objects both processes hold, out of the collector's reach until the checks end: a
        # collection would write to every one of them and make the system copy their memory (Python's
        # advice for fork without exec, `gc.freeze`).
        gc.freeze()
        self._process.start()
        send.close()
        self._site: SiteIndex | None = None
        self._problems: list[Problem] | None = None

    def _receive(self):
        try:
            answer = self._answers.recv()
        except EOFError:
            answer = "the process checking the sources ended without an answer"
        if isinstance(answer, str):  # the traceback of its failure
            self._end()
            raise RuntimeError(f"the checks failed:\n{answer}")
        return answer

    def _end(self) -> None:
        self._process.join()
        gc.unfreeze()
        self._answers.close()

    def site(self) -> SiteIndex:
        if self._site is None and self._here is None:
            answer = self._receive()
            if answer is UNSENDABLE:  # checked here instead
                self._end()
                self._here = _CheckedHere(self._docs, self._root)
            else:
                self._site = answer
        return self._here.site() if self._here else self._site

    def problems(self) -> list[Problem]:
        self.site()
        if self._here:
            return self._here.problems()
        if self._problems is None:
            self._problems = self._receive()
            self._end()
        return self._problems


# What the second process sends when the index cannot be pickled (a class the build replaced, as a
# test's fake clock replaces `datetime.date`): the build then checks in its own process.
UNSENDABLE = None


def _check_and_send(docs: Path, root: Path, send) -> None:
    gc.disable()  # a short-lived process: collecting would only copy memory it shares with the build
    try:
        site, problems, comparisons = index_site(docs, root)
        try:
            send.send(site)  # pickled whole before anything is written
        except (pickle.PicklingError, TypeError, AttributeError):
            send.send(UNSENDABLE)
            return
        send.send(comparisons.run() if comparisons else problems)
    except BaseException:
        send.send(traceback.format_exc())


def _can_fork() -> bool:
    return sys.platform == "linux" and threading.active_count() == 1


# Per project folder: what its sources looked like, and their checks (done, or under way).
_cache: dict[Path, tuple[tuple, _CheckedHere | _CheckedElsewhere]] = {}
_reported_later: set[Path] = set()


# How often the sources are looked at for changes: once per build of ~30 pages, and soon enough
# for a live-reloading server (a save is seen within a second).
RECHECK_SECONDS = 1.0
_looked: dict[Path, float] = {}


def _checked(root: Path, fresh: bool, elsewhere: bool) -> _CheckedHere | _CheckedElsewhere:
    root = root.resolve()
    cached = _cache.get(root)
    if cached and not fresh and time.monotonic() - _looked.get(root, 0) < RECHECK_SECONDS:
        return cached[1]
    docs = root / "docs"
    current = fingerprint(docs, root)
    _looked[root] = time.monotonic()
    if not cached or cached[0] != current:
        checks = _CheckedElsewhere(docs, root) if elsewhere and _can_fork() else _CheckedHere(docs, root)
        cached = _cache[root] = (current, checks)
    return cached[1]


def site_and_problems(root: Path) -> tuple[SiteIndex, list[Problem]]:
    """The project's site as checked and its problems (checked again only when a source changed)."""
    checks = _checked(root, fresh=False, elsewhere=False)
    return checks.site(), checks.problems()


def start_checks(root: Path) -> None:
    """Start checking the project's sources as a build starts, in a second process where that is safe.

    The caller reports the problems itself (`site_and_problems`, which waits for the checks), so
    the pages are rendered as they are meanwhile (`checked_site`).
    """
    _reported_later.add(root.resolve())
    _checked(root, fresh=True, elsewhere=True)


def checked_site(root: Path) -> SiteIndex:
    """The checked site of the project at `root`; raises SiteProblems when the checks fail.

    When the build reports the problems at its end, the site is rendered as it is, without waiting
    for the comparisons.
    """
    if root.resolve() in _reported_later:
        return _checked(root, fresh=False, elsewhere=False).site()
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
