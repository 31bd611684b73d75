"""Reading the project's YAML data files with the line number of every entry and field.

Authors edit data/*.yml by hand; every error the build reports names the file and the line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .site_model import SAFE_LOADER, Problem

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
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
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


def check_fields(data: dict, required: tuple[str, ...], optional: tuple[str, ...], problem, what: str) -> bool:
    """Report missing required fields and unknown fields of one entry; True when there were none."""
    ok = True
    for name in required:
        if data.get(name) in (None, "", [], {}):
            problem(None, f"{what} is missing required field '{name}'", f"add `{name}:` to this entry")
            ok = False
    for name in data:
        if name not in required + optional:
            problem(name, f"unknown field '{name}'", f"use one of: {', '.join(required + optional)}")
            ok = False
    return ok
