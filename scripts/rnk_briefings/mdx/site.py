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

from pathlib import Path

from markdown import Extension, Markdown

from ..checks import SiteIndex, check_site, fingerprint
from ..site_model import Problem, report
from .context import PageContext, page_context


class SiteProblems(Exception):
    """The site's sources have problems (the message is the report, one `file:line` per problem)."""


_cache: dict[Path, tuple[tuple, SiteIndex, list[Problem]]] = {}
_reported_later: set[Path] = set()


def site_and_problems(root: Path) -> tuple[SiteIndex, list[Problem]]:
    """The project's site as checked and its problems (checked again only when a source changed)."""
    root = root.resolve()
    docs = root / "docs"
    current = fingerprint(docs, root)
    cached = _cache.get(root)
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

    def page_and_site(self) -> tuple[PageContext, SiteIndex] | None:
        """None outside a generator (no page): the processor then leaves the text as it is."""
        context = page_context(self.md)
        if context is None:
            return None
        return context, checked_site(Path(self.root) if self.root else context.root)
