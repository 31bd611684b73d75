"""MkDocs' own link validation, with the line of the link and a fix added to each message.

MkDocs (`validation:` in mkdocs.yml) finds broken links and anchors and names the file; this
logging filter adds where in the file the link is and what to do, like the project's own checks.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

LINK_MESSAGE = re.compile(
    r"^Doc file '(?P<file>[^']+)' contains (?P<kind>a|an absolute|an unrecognized relative) link '(?P<link>[^']+)'(?P<rest>.*)$",
    re.S,
)
FIXES = {
    "a": "point the link at an existing .md file (relative to this page) and an existing heading",
    "an absolute": "use a relative link to the .md file, e.g. ../sources.md",
    "an unrecognized relative": "link to the .md file itself (e.g. method.md), not to a folder or an output URL",
}
LOGGERS = ("mkdocs.structure.pages", "mkdocs.commands.build")


class LinkLineFilter(logging.Filter):
    """Rewrites MkDocs' link warnings as `docs/<file>:<line>: <message>` plus a fix."""

    def __init__(self, docs_dir: Path) -> None:
        super().__init__()
        self.docs_dir = docs_dir

    def filter(self, record: logging.LogRecord) -> bool:
        match = LINK_MESSAGE.match(record.getMessage())
        if match:
            path = self.docs_dir / match["file"]
            line = _line_of(path, match["link"])
            location = f"docs/{match['file']}"
            record.msg = f"{location}:{line}: {record.getMessage()}\n    fix: {FIXES[match['kind']]}"
            record.args = ()
        return True


def _line_of(path: Path, link: str) -> int:
    """The first line of the file that holds the link (1 when it cannot be found)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    return next(
        (
            number
            for number, text in enumerate(lines, 1)
            if f"({link}" in text or f"'{link}'" in text or f'"{link}"' in text
        ),
        1,
    )


def install(docs_dir: Path) -> None:
    """Attach the filter once to the loggers that report links (again on each `mkdocs serve` rebuild)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        for old in [f for f in logger.filters if isinstance(f, LinkLineFilter)]:
            logger.removeFilter(old)
        logger.addFilter(LinkLineFilter(docs_dir))
