"""Search in the reader's language: one search index per language instead of one shared index.

The i18n plugin merges both languages into search/search_index.json, so every search returns
pages in both languages. After the build, this module splits the index: the default language
keeps search/, each other language gets <lang>/search/ (with the offline plugin's inlined copy,
search_index.js, when there is one), and that language's pages point Material's search at it by
setting the `base` of their `__config` to the language's root.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


def point_search_at_language(html: str, lang: str) -> str:
    """Make a page of a non-default language search its own index (base = the language's root)."""

    def rebase(match: re.Match) -> str:
        config = json.loads(match.group(2))
        config["base"] = f"{config['base'].rstrip('/')}/{lang}/"  # trailing slash: Material resolves URLs against it
        return match.group(1) + json.dumps(config, ensure_ascii=False, separators=(",", ":")) + match.group(3)

    return CONFIG.sub(rebase, html, count=1)


def split_index(site_dir: Path, other_languages: tuple[str, ...]) -> None:
    """Write one index per language; locations become relative to that language's root."""
    path = site_dir / "search" / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    docs = {lang: [] for lang in other_languages}
    default = []
    for doc in index["docs"]:
        lang = next((lang for lang in other_languages if doc["location"].startswith(f"{lang}/")), None)
        if lang:
            docs[lang].append({**doc, "location": doc["location"][len(lang) + 1 :]})
        else:
            default.append(doc)
    inline = (site_dir / "search" / "search_index.js").exists()  # the offline build's copy for file://
    _write(site_dir / "search", {**index, "docs": default}, inline)
    for lang in other_languages:
        _write(site_dir / lang / "search", {**index, "docs": docs[lang]}, inline)


def _write(folder: Path, index: dict, inline: bool) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    (folder / "search_index.json").write_text(data, encoding="utf-8")
    if inline:
        (folder / "search_index.js").write_text(f"var __index = {data}", encoding="utf-8")
