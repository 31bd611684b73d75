"""Data markers written wrongly: anything shaped like a marker that is not one is an error.

A page asks for generated content with a marker: `[[fig:ID]]` (a figure from the ledger) or an
HTML comment such as `<!-- timeline -->` or `<!-- glossary: term place -->`. A marker written
slightly wrong (`[[図:…]]`, `[[fig …]]`, `[[ fig:x ]]`, `<!--source-list-->`, `<!-- figures-chart a b -->`)
matches nothing, so the figure would show as literal text or the block would silently be left out.
Each is reported at its line with the marker it was probably meant to be.
"""

from __future__ import annotations

import re

from ..inputs.citations import FENCE, INLINE_CODE
from ..inputs.ledger import FIGURE_REF
from ..inputs.site_model import Problem, nearest

# Every comment marker, and whether it takes arguments (`<!-- name: a b -->`). Rendered by
# checks/site.py (timeline, figures-table, glossary, figures-chart, source-list), mdx/revisions.py
# (whats-new), mdx/downloads.py (download) and inputs/publication.py (data-downloads).
COMMENT_MARKERS = {
    "timeline": False,
    "figures-table": False,
    "source-list": False,
    "download": False,
    "whats-new": False,
    "glossary": True,
    "figures-chart": True,
    "data-downloads": True,
}
COMMENT = re.compile(r"<!--((?:[^<]|<(?!!--))*?)-->")  # linear: an attempt ends at the next <!--
# Double brackets, or a single one opening with "fig"/"図": what an author writes for [[fig:ID]].
FIGURE_SHAPED = re.compile(r"\[\[[^\[\]\n]*\]\]?|(?<!\[)\[[ \t]*(?:fig(?:ure)?|図)[ \t]*[:：][^\[\]\n]*\]\]?", re.I)
FIGURE_PREFIX = re.compile(r"^\s*(?:fig(?:ure)?|図)\s*[:：]?\s*", re.I)


def _normal(name: str) -> str:
    return re.sub(r"[\s_-]+", "", name.lower())


def _comment_marker(content: str) -> str | None:
    """The marker a comment was meant to be, written as it must be; None for an ordinary comment."""
    head, colon, rest = content.strip().partition(":")
    words = head.split()
    if not words:
        return None
    if colon:
        name, arguments = head.strip(), rest.split()
    else:
        name, arguments = words[0], words[1:]
    wanted = {_normal(n): n for n in COMMENT_MARKERS}
    near = wanted.get(_normal(name)) or wanted.get(nearest(_normal(name), wanted) or "")
    if near is None or (not COMMENT_MARKERS[near] and (colon or len(words) > 1)):
        return None  # a note of the author's, not a marker (a marker without arguments is one word)
    if COMMENT_MARKERS[near]:
        return f"<!-- {near}: {' '.join(arguments)} -->" if arguments else f"<!-- {near}: … -->"
    return f"<!-- {near} -->"


def check(body: str, path: str, first_line: int, figure_ids) -> list[Problem]:
    """Every marker-shaped text of a page's body (as written) that is not a marker, at its line."""
    problems = []
    text_lines = body.split("\n")
    in_fence = False
    for offset, line in enumerate(text_lines):
        if FENCE.match(line):
            in_fence = not in_fence
        if in_fence or FENCE.match(line) or "[" not in line:
            continue
        line = INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line)
        for match in FIGURE_SHAPED.finditer(line):
            if FIGURE_REF.fullmatch(match.group(0)):
                continue  # a figure reference (its id is checked where it is expanded)
            given = FIGURE_PREFIX.sub("", match.group(0).strip("[]")).strip()
            figure = given if given in figure_ids else nearest(given, figure_ids) or given
            problems.append(
                Problem(
                    path,
                    first_line + offset,
                    f"'{match.group(0)}' is not a figure reference (it would show as literal text)",
                    f"did you mean [[fig:{figure}]]? (write it exactly so: two brackets, fig, a colon, the id)",
                )
            )
    for match in COMMENT.finditer(body):
        meant = _comment_marker(match.group(1))
        if meant is None or _is_marker(match.group(0)):
            continue
        written = match.group(0) if len(match.group(0)) <= 60 else match.group(0)[:59] + "…"
        problems.append(
            Problem(
                path,
                first_line + body.count("\n", 0, match.start()),
                f"'{written}' is not a data marker as written (the block would be left out of the page)",
                f"did you mean '{meant}'? (exactly so: '<!-- ', the name, ': ' before any names it lists, ' -->')",
            )
        )
    return problems


def _is_marker(comment: str) -> bool:
    """A comment written exactly as a marker is written."""
    for name, takes_arguments in COMMENT_MARKERS.items():
        if not takes_arguments and comment == f"<!-- {name} -->":
            return True
        if takes_arguments and re.fullmatch(rf"<!-- {re.escape(name)}: [^>]*?\S -->", comment):
            return True
    return False
