"""The site's navigation as mkdocs.yml writes it: each page it lists, with its line.

Read as YAML nodes (not constructed), so the file's Python and environment tags need no loader,
and every entry keeps its line: the shared `nav:` (the pages of both languages, in order) and any
language's own `nav:` under the i18n plugin's `languages:`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .site_model import SAFE_LOADER


@dataclass(frozen=True)
class NavPage:
    path: str  # relative to the language folder, e.g. briefings/china.md
    line: int
    section: str | None  # the nav section it is listed under


@dataclass
class Navigation:
    pages: list[NavPage] = field(default_factory=list)
    line: int = 1  # the line of `nav:`
    end_line: int = 1  # the last line of the nav
    overrides: dict[str, list[NavPage]] = field(default_factory=dict)  # locale -> its own nav


def _value(mapping: yaml.MappingNode, key: str) -> yaml.Node | None:
    return next((v for k, v in mapping.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _pages(node: yaml.Node, section: str | None = None) -> list[NavPage]:
    """The pages of a nav (a sequence of `- page.md`, `- Title: page.md` and `- Section: [...]`), in order."""
    found: list[NavPage] = []
    if not isinstance(node, yaml.SequenceNode):
        return found
    for item in node.value:
        if isinstance(item, yaml.ScalarNode):
            found.append(NavPage(item.value, item.start_mark.line + 1, section))
        elif isinstance(item, yaml.MappingNode):
            for title, value in item.value:
                if isinstance(value, yaml.ScalarNode):
                    if not value.value.startswith(("http://", "https://")):
                        found.append(NavPage(value.value, value.start_mark.line + 1, section))
                else:
                    found += _pages(value, getattr(title, "value", section))
    return found


def read_navigation(mkdocs_yml: Path) -> Navigation:
    """The nav of mkdocs.yml and each language's own nav (empty when the file cannot be read: MkDocs says why)."""
    try:
        root = yaml.compose(mkdocs_yml.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, yaml.YAMLError):
        return Navigation()
    if not isinstance(root, yaml.MappingNode):
        return Navigation()
    result = Navigation()
    nav = _value(root, "nav")
    if nav is not None:
        result.pages = _pages(nav)
        result.line = nav.start_mark.line
        result.end_line = nav.end_mark.line
    plugins = _value(root, "plugins")
    for plugin in plugins.value if isinstance(plugins, yaml.SequenceNode) else []:
        i18n = _value(plugin, "i18n") if isinstance(plugin, yaml.MappingNode) else None
        languages = _value(i18n, "languages") if isinstance(i18n, yaml.MappingNode) else None
        for language in languages.value if isinstance(languages, yaml.SequenceNode) else []:
            locale = _value(language, "locale") if isinstance(language, yaml.MappingNode) else None
            own = _value(language, "nav") if isinstance(language, yaml.MappingNode) else None
            if isinstance(locale, yaml.ScalarNode) and own is not None:
                result.overrides[locale.value] = _pages(own)
    return result
