"""The checked site the extensions render from: loaded once per process, reloaded when a source changes.

Every page draws on the data files (registry, figures, timeline, glossary) and the Sources page
on every other page's citations, so the extensions render from the same `SiteIndex` that
`scripts/docs.py check` checks. A site with problems is not rendered: the first page to need it
raises `SiteProblems` with the full report, so a generator without the project's hooks still
stops on an author's mistake.
"""

from __future__ import annotations

from pathlib import Path

from ..checks import SiteIndex, check_site, fingerprint
from ..site_model import report


class SiteProblems(Exception):
    """The site's sources have problems (the message is the report, one `file:line` per problem)."""


_cache: dict[Path, tuple[tuple, SiteIndex]] = {}


def checked_site(root: Path) -> SiteIndex:
    """The checked site of the project at `root`; raises SiteProblems when the checks fail."""
    root = root.resolve()
    docs = root / "docs"
    current = fingerprint(docs, root)
    cached = _cache.get(root)
    if cached and cached[0] == current:
        return cached[1]
    site, problems = check_site(docs, root)
    if problems:
        raise SiteProblems(report(problems))
    _cache[root] = (current, site)
    return site
