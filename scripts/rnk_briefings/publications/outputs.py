"""What readers take away from the site: Atom feeds, BibTeX files, and the figures and timeline as CSV and JSON.

Everything here is made from the checked site (`checks.check_site`) and the site's settings in
mkdocs.yml, never from a generator's internals, so MkDocs (its `on_post_build` hook) and Zensical
(`scripts/docs.py build-zensical`) write the same files with `write_outputs`, and
`scripts/docs.py outputs SITE_DIR` writes them into any built site:

| file (Japanese at the root, English under `en/`) | what |
|---|---|
| `feed.xml` | Atom feed: one entry per revision of any page, newest first |
| `downloads/figures.csv`, `downloads/figures.json` | the key figures ledger, with sources and inferred flags |
| `downloads/timeline.csv`, `downloads/timeline.json` | the timeline, with sources and inferred flags |
| `downloads/cite-<page>.bib` | the recommended citation of each briefing (biblatex `@online`) |

CSV files are UTF-8 with a byte order mark, so that Excel opens Japanese correctly, and a text cell that a
spreadsheet would read as a formula starts with a single quote (OWASP; `csv_cell`); JSON keeps every value exact.
BibTeX values are escaped for TeX (`tex_text`). The licence (mkdocs.yml, `extra.licence`) is in each feed's
`<rights>` and each JSON file's `license`; a CSV file has no place for it that every reader keeps (a comment
line breaks spreadsheets and CSV readers), so the page that links it and the Download page state it beside
the links.
Links in these files name the published web site (`site_url`), also in the offline bundle.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from ..inputs import revisions
from ..inputs.publication import (
    CITE_PAGES,
    DOWNLOADS,
    FEED,
    WHATS_NEW_PAGE,
    Settings,
    download_name,
    language_root,
    settings,
    web_url,
)
from ..inputs.site_model import LANGUAGES
from ..inputs.timeline import coverage_text
from ..mdx.site import site_and_problems

if TYPE_CHECKING:
    from ..checks.site import SiteIndex

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANG_NAMES = {"ja": "japanese", "en": "english"}  # biblatex langid
FEED_TITLE = {"ja": "{site}：更新情報", "en": "{site}: What's new"}


# TeX's special characters as text commands: every brace written is balanced (BibTeX counts braces
# even after a backslash), `^` is escaped so that `^^5c` is no TeX escape, and nothing else is active.
TEX_TEXT = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "&": r"\&",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def tex_text(text: str) -> str:
    """Author text as the value of a BibTeX field, read by (bib)TeX as exactly that text."""
    return "".join(TEX_TEXT.get(character, character) for character in " ".join(text.split()))


def bibtex(lang: str, site_name: str, title: str, version: dt.date, url: str, path: str) -> str:
    """The same citation as a biblatex `@online` entry, every text value escaped for TeX (`tex_text`)."""
    value = tex_text
    # A verbatim field: braces, backslashes and spaces percent-encoded (the site's own address, from mkdocs.yml).
    url = quote(url, safe=":/?#[]@!$&'()*+,;=%-._~")
    key = f"rnk-{path.removesuffix('.md').replace('/', '-')}-{lang}-{version.isoformat()}"
    fields = [
        ("author", "{" + value(site_name) + "}"),  # a corporate author: not split into names
        ("title", value(title)),
        ("date", version.isoformat()),
        ("version", version.isoformat()),
        ("url", url),
        ("langid", LANG_NAMES[lang]),
        ("organization", value(site_name)),
    ]
    body = ",\n".join(f"  {name} = {{{text}}}" for name, text in fields)
    return f"@online{{{key},\n{body},\n}}\n"


# --- Atom ------------------------------------------------------------------------------------


def entry_id(site_url: str, page_url: str, day: dt.date) -> str:
    """A stable id (RFC 4151 tag URI): the site's host, the revision's date, the page's path."""
    parts = urlsplit(site_url)
    return f"tag:{parts.hostname or 'localhost'},{day.isoformat()}:{urlsplit(page_url).path}"


def atom_feed(site: SiteIndex, lang: str, config: Settings) -> bytes:
    """The Atom feed of a language: one entry per change, newest first."""
    ET.register_namespace("", ATOM)

    def sub(parent, tag: str, text: str | None = None, **attributes) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        element.text = text
        return element

    name = config.site_name[lang]
    base = config.site_url + language_root(lang)
    found = revisions.changes(site.pages[lang])
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: lang})
    sub(feed, "id", base + FEED)
    sub(feed, "title", FEED_TITLE[lang].format(site=name))
    subtitle = " ".join(filter(None, (config.site_description.get(lang), coverage_text(site.events, lang))))
    if subtitle:
        sub(feed, "subtitle", subtitle)
    sub(feed, "rights", f"{config.licence.notice[lang]} {config.licence.url}", type="text")
    newest = found[0].revision.date if found else dt.date(1970, 1, 1)
    sub(feed, "updated", f"{newest.isoformat()}T00:00:00Z")
    sub(feed, "link", rel="self", type="application/atom+xml", href=base + FEED)
    sub(feed, "link", rel="alternate", type="text/html", href=web_url(config.site_url, lang, WHATS_NEW_PAGE))
    author = sub(feed, "author")
    sub(author, "name", name)
    sub(author, "uri", base)
    for change in found:
        revision = change.revision
        page_url = web_url(config.site_url, lang, change.path)
        entry = sub(feed, "entry")
        sub(entry, "id", entry_id(config.site_url, page_url, revision.date))
        label = revisions.CORRECTION[lang] + ("：" if lang == "ja" else ": ") if revision.correction else ""
        sub(entry, "title", f"{change.title}{'：' if lang == 'ja' else ': '}{label}{revision.summary}")
        sub(entry, "updated", f"{revision.date.isoformat()}T00:00:00Z")
        href = page_url + (f"#{revision.section}" if revision.section else "")
        sub(entry, "link", rel="alternate", type="text/html", hreflang=lang, href=href)
        summary = label + revision.summary + (f"（{change.section}）" if lang == "ja" and change.section else "")
        summary += f" ({change.section})" if lang != "ja" and change.section else ""
        sub(entry, "summary", summary, type="text")
        if revision.correction:
            sub(entry, "category", term="correction", label=revisions.CORRECTION[lang])
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


# --- data downloads --------------------------------------------------------------------------

FIGURE_COLUMNS = (
    "id",
    "label",
    "value",
    "low",
    "high",
    "unit",
    "qualifier",
    "refers_to",
    "refers_to_inferred",
    "reported",
    "reported_inferred",
    "estimated_by",
    "kind",
    "source_key",
    "source_citation",
    "source_locator",
)
EVENT_COLUMNS = ("date", "end", "date_inferred", "kind", "text", "source_keys", "source_citations", "source_locators")


def _number(value: float | None) -> int | float | None:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def figure_records(site: SiteIndex, lang: str) -> list[dict]:
    """The ledger as records in one language: every field, the source's full citation, the inferred flags."""
    from ..inputs.ledger import KINDS

    records = []
    for figure in site.figures.values():
        source = site.sources[figure.source]
        records.append(
            {
                "id": figure.id,
                "label": figure.label[lang],
                "value": figure.value(lang),
                "low": _number(figure.low),
                "high": _number(figure.high),
                "unit": figure.unit,
                "qualifier": figure.qualifier,
                "refers_to": figure.refers_to.iso(),
                "refers_to_inferred": figure.refers_to_inferred,
                "reported": figure.reported.iso(),
                "reported_inferred": figure.reported_inferred,
                "estimated_by": figure.estimated_by[lang],
                "kind": KINDS[figure.kind][lang],
                "source": {
                    "key": source.key,
                    "citation": source.citation(lang),
                    "locator": (figure.locator or {}).get(lang),
                },
            }
        )
    return records


def event_records(site: SiteIndex, lang: str) -> list[dict]:
    """The timeline as records in one language, in date order, each with its sources."""
    from ..inputs.timeline import KINDS

    return [
        {
            "date": event.date.iso(),
            "end": event.end.iso() if event.end else None,
            "date_inferred": event.inferred,
            "kind": KINDS[event.kind][lang] or event.kind,
            "text": event.text[lang],
            "sources": [
                {
                    "key": key,
                    "citation": site.sources[key].citation(lang),
                    "locator": event.locators.get(key, {}).get(lang),
                }
                for key in event.sources
            ],
        }
        for event in site.events
    ]


# OWASP's rule for CSV injection: a text cell starting with one of these is read by spreadsheets as a
# formula (or DDE) and is written with a leading single quote. Numbers from the data (int, float) stay
# numbers, negative ones too: a spreadsheet reads `-5` as the number it is. Text that only looks like a
# number ("-5" in a label) is text and gets the quote. The JSON downloads keep every value exact.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A value as a CSV cell that no spreadsheet runs: text starting like a formula gets a leading `'`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv(columns: tuple[str, ...], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def figures_csv(records: list[dict]) -> bytes:
    rows = [
        [r[c] for c in FIGURE_COLUMNS[:13]] + [r["source"]["key"], r["source"]["citation"], r["source"]["locator"]]
        for r in records
    ]
    return _csv(FIGURE_COLUMNS, rows)


def events_csv(records: list[dict]) -> bytes:
    """One row per event; several sources are one line each within the source cells."""
    rows = [
        [r[c] for c in EVENT_COLUMNS[:5]]
        + ["\n".join(s[part] or "" for s in r["sources"]) for part in ("key", "citation", "locator")]
        for r in records
    ]
    return _csv(EVENT_COLUMNS, rows)


def dataset_json(name: str, lang: str, config: Settings, records: list[dict]) -> bytes:
    page = web_url(config.site_url, lang, f"{name}.md")
    licence = config.licence
    document = {
        "title": name,
        "language": lang,
        "site": config.site_name[lang],
        "page": page,
        "license": {"name": licence.name, "url": licence.url, "notice": licence.notice[lang]},
        name: records,
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# --- writing everything ----------------------------------------------------------------------


def output_files(site: SiteIndex, config: Settings) -> dict[str, bytes]:
    """Every file, by its path in the built site."""
    files: dict[str, bytes] = {}
    for lang in LANGUAGES:
        prefix = language_root(lang)
        files[prefix + FEED] = atom_feed(site, lang, config)
        figures, events = figure_records(site, lang), event_records(site, lang)
        files[f"{prefix}{DOWNLOADS}/figures.csv"] = figures_csv(figures)
        files[f"{prefix}{DOWNLOADS}/figures.json"] = dataset_json("figures", lang, config, figures)
        files[f"{prefix}{DOWNLOADS}/timeline.csv"] = events_csv(events)
        files[f"{prefix}{DOWNLOADS}/timeline.json"] = dataset_json("timeline", lang, config, events)
        for path, cited in site.pages[lang].items():
            version = revisions.version_date(cited.page)
            if path.startswith(CITE_PAGES) and version:
                url = web_url(config.site_url, lang, path)
                title = cited.page.meta["title"]
                text = bibtex(lang, config.site_name[lang], title, version, url, path)
                files[prefix + download_name(path)] = text.encode("utf-8")
    return files


def write_outputs(root: Path, site_dir: Path, site_url: str | None = None) -> list[Path]:
    """Write the feeds, downloads and BibTeX files of the checked site at `root` into a built site."""
    site, problems = site_and_problems(root)
    if problems:  # the build reports them and fails (`mkdocs serve` goes on serving without these files)
        return []
    written = []
    for rel, content in output_files(site, settings(root, site_url)).items():
        target = site_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written.append(target)
    return written
