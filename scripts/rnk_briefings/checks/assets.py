"""What a refused asset name means for the pages: which of them link to it, and the name to give it.

The content policy (content_policy.py) refuses the file; renaming it breaks every link to it, so
the message names them (with their lines) and a name the policy accepts.
"""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

from ..inputs.site_model import LANGUAGES, Problem

REFUSED_NAME = re.compile(r"^asset name '(?P<rel>assets/[^']*)' is not lowercase ASCII")


def accepted_name(rel: str) -> str:
    """The asset's name as the policy accepts it: lowercase ASCII words joined by hyphens."""
    folder, _, name = rel.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    stem = re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-") or "asset"
    return f"{folder}/{stem}{dot}{suffix.lower()}"


def references(docs_dir: Path, rel: str) -> list[str]:
    """`docs/<lang>/page.md:line` of every line of a page that links to the asset (as written or URL-encoded)."""
    name = rel.rpartition("/")[2]
    spellings = {name, urllib.parse.quote(name), name.replace(" ", "%20")}
    found = []
    for lang in LANGUAGES:
        for page in sorted((docs_dir / lang).rglob("*.md")):
            for number, text in enumerate(page.read_text(encoding="utf-8", errors="replace").split("\n"), 1):
                if any(spelling in text for spelling in spellings):
                    found.append(f"{page.as_posix()}:{number}")
    return found


def explain_refused_names(problems: list[Problem], docs_dir: Path) -> list[Problem]:
    """The content policy's problems, with a refused asset name's new name and the pages to update."""
    explained = []
    for problem in problems:
        match = REFUSED_NAME.match(problem.message)
        if match:
            new = accepted_name(match["rel"])
            linked = references(docs_dir, match["rel"])
            pages = f", and change the links to it in {', '.join(linked)}" if linked else ""
            problem = Problem(problem.file, problem.line, problem.message, f"rename it, e.g. to {new}{pages}")
        explained.append(problem)
    return explained
