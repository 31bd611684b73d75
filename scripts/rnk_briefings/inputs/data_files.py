"""Reading the project's YAML data files with the line number of every entry and field, and writing their values safely.

Authors edit data/*.yml by hand; every error the build reports names the file and the line.
Every value an author supplies is text, never markup: the renderers write it with `html_text`
(into HTML), `md_text` (into Markdown, which would otherwise turn `[x](javascript:…)`, `{: on…}`
or `<img …>` into markup), `attribute` (into a quoted attribute) or `tooltip_title` (into a
`title` that Material's tooltips copy into innerHTML). `lang_span` marks a run of text with its
language (WCAG 3.1.2). Values that can never hold markup (ids, section names, URLs) are refused
by the loaders with `refuse_markup`.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import yaml

from .site_model import SAFE_LOADER, Problem, RefusedYAML, load_yaml, nearest

LINE = "__line__"


class _LineLoader(SAFE_LOADER):
    """A safe loader that records, in each mapping, the line of the mapping and of each key."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[str, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        mapping["__lines__"] = {k.value: k.start_mark.line + 1 for k, _ in node.value}
        return mapping


# Dates stay text: notation.parse_partial_date reads them and reports a bad one with its line.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def line_of(entry: dict, field: str | None = None) -> int:
    """The line of an entry, or of one of its fields when the field is present."""
    if field and field in entry.get("__lines__", {}):
        return entry["__lines__"][field]
    return entry.get(LINE, 1)


def load_list(path: Path) -> tuple[list[dict], list[Problem]]:
    """Load a YAML file whose top level is a list of mappings; report syntax errors with a line."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8"), _LineLoader)
    except RefusedYAML as error:
        line = error.problem_mark.line + 1 if error.problem_mark else 1
        return [], [Problem(str(path), line, f"refused YAML: {error.problem}", error.fix)]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return [], [Problem(str(path), line, f"YAML syntax error: {error}", "fix the YAML syntax at that line")]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        return [], [
            Problem(str(path), 1, "the file must be a list of entries (`- key: ...`)", "start each entry with '- '")
        ]
    return data, []


def fields(entry: dict) -> dict[str, Any]:
    """The entry without the line bookkeeping."""
    return {k: v for k, v in entry.items() if not k.startswith("__")}


def reporter(problems: list[Problem], path: Path | str, entry: dict):
    """A function that records a problem with one entry, at the line of the field concerned."""

    def problem(field: str | None, message: str, fix: str) -> None:
        problems.append(Problem(str(path), line_of(entry, field), message, fix))

    return problem


def check_fields(
    data: dict, required: tuple[str, ...], optional: tuple[str, ...], problem, what: str, choices: dict | None = None
) -> bool:
    """Report missing required fields and unknown fields of one entry; True when there were none.

    `choices` gives the allowed values of a field (its kinds), which the hint for a missing one lists;
    an unknown field gets the nearest known one as "did you mean".
    """
    ok = True
    for name in required:
        if data.get(name) in (None, "", [], {}):
            allowed = f", one of: {', '.join(choices[name])}" if choices and name in choices else ""
            problem(None, f"{what} is missing required field '{name}'", f"add `{name}:` to this entry{allowed}")
            ok = False
    for name in data:
        if name not in required + optional:
            near = nearest(name, required + optional)
            hint = f"did you mean '{near}'?" if near else f"use one of: {', '.join(required + optional)}"
            problem(name, f"unknown field '{name}'", hint)
            ok = False
    return ok


# ---------------------------------------------------------------------------------------------
# Writing author-supplied values into pages

# Characters that make Markdown markup inline (links, images, emphasis, code, attribute lists,
# footnote references) and the backslash that escapes them; HTML's own are escaped by html_text.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}!])")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def html_text(value: object) -> str:
    """A value as HTML text: &, < and > escaped (quotes too, so the result is also safe in an attribute)."""
    return html.escape(str(value), quote=True)


def md_escape(escaped_html_text: str) -> str:
    """Text that is already HTML-escaped, with Markdown's inline syntax backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escaped_html_text)


def md_text(value: object) -> str:
    """A value as literal text in Markdown: HTML escaped, Markdown's inline syntax backslash-escaped, one line."""
    return md_escape(html.escape(_LINE_BREAKS.sub(" ", str(value)), quote=False))


def attribute(value: object) -> str:
    """A value for a double-quoted HTML attribute."""
    return html.escape(str(value), quote=True)


def tooltip_title(text: str) -> str:
    """Text for a `title` that Material's tooltips copy into innerHTML: escaped for that, then as an attribute.

    The browser unescapes the attribute once; Material's innerHTML then reads HTML escapes as text,
    so `<img …>` shows as text and never becomes an element.
    """
    return attribute(html.escape(text, quote=False))


def lang_span(html_fragment: str, lang: str, page_lang: str) -> str:
    """An HTML fragment in `lang`, wrapped in <span lang> when the page is in another language."""
    return html_fragment if lang == page_lang or not html_fragment else f'<span lang="{lang}">{html_fragment}</span>'


MARKUP = re.compile(r"[<>\"`\x00-\x1f]")


def refuse_markup(problem, field: str, value: object, what: str) -> bool:
    """Report a value that can never hold markup (or a line break) but does; True when it is clean."""
    found = MARKUP.search(str(value))
    if found:
        problem(
            field,
            f"{what} {str(value)!r} contains {found.group(0)!r}, which it can never hold",
            'write plain text without <, >, ", ` or line breaks',
        )
    return not found


def check_choice(data: dict, name: str, allowed, problem, unset_ok: bool = False) -> bool:
    """Report a field whose value is not one of `allowed` (its kinds, units …), with the nearest; True when fine."""
    value = data.get(name)
    if (value is None and unset_ok) or value in allowed:
        return True
    near = nearest(str(value), allowed)
    listed = f"use one of: {', '.join(allowed)}"
    problem(name, f"unknown {name} {str(value)!r}", f"did you mean '{near}'? ({listed})" if near else listed)
    return False
