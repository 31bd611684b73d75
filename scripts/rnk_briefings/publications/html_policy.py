"""The post-build check: what the built HTML may hold, whatever wrote it (pages, data, templates, plugins).

`scripts/docs.py verify-site DIR` runs it on a built site (web or offline, both languages), and
so do the tests and the workflows. It refuses, on every page:

- a page without the Content-Security-Policy and referrer `<meta>` tags (`page_delivery` adds them)
  before anything it loads;
- an inline script other than the theme's known ones (`KNOWN_INLINE_SCRIPTS`), and, on the web,
  a known one whose hash the page's policy does not list; a `<script type>` that is neither
  JavaScript nor JSON data;
- an event handler attribute (`on…`) on any element; a `javascript:`, `vbscript:` or `data:` URL;
- a resource loaded from another host (`src`, `srcset`, `poster`, `data`, a stylesheet or icon link);
- in the content area (`article.md-content__inner`), an element or attribute outside the allowlist.

It uses the standard library's HTML parser, which reads a page the way a browser tokenises it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from ..checks import svg_assets
from ..inputs.site_model import Problem

# The theme's inline scripts, by the SHA-256 of their text with `__md_scope`'s URL (the page's depth)
# left out: Material 9.8.1's base.html (scope and storage helpers, palette, scroll to the target)
# (the project's own switcher script is a file, overrides/assets/rnk-switcher.js).
# After a theme upgrade, the check names each new hash: review the script, then add its hash here.
KNOWN_INLINE_SCRIPTS = {
    "7eb3684fdacd2881f67b9428983273a29d8774d8bc82622af9b65a8ec1032a90": "Material: __md_scope and storage helpers",
    "0eb10c249dbdb0beef225a10ce5cbe55418cc4a7014cc208f8e7d6ed8f00906e": "Material: palette from local storage",
    "ffcc0f7735fdab434d257c80e65cec2e88d716991e69757185b7e450e41a5b2f": "Material: scroll to the URL's target",
}
SCOPE_URL = re.compile(r'^__md_scope=new URL\("[^"\\]*",location\)')
JAVASCRIPT_TYPES = ("", "text/javascript", "module")
DATA_TYPES = ("application/json", "application/ld+json")

CSP_NAME = "content-security-policy"
URL_ATTRIBUTES = ("href", "src", "srcset", "action", "formaction", "poster", "data", "xlink:href", "background", "cite")
LOADING_ATTRIBUTES = ("src", "srcset", "poster", "data", "background")
LOADING_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest", "apple-touch-icon"}
BAD_SCHEMES = ("javascript", "vbscript", "data")

# What the content area may hold: text markup, tables, and the inline SVG of the figures charts.
CONTENT_ELEMENTS = frozenset(
    "a abbr b blockquote br caption cite code col colgroup dd del details dfn div dl dt em figcaption figure "
    "h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp small span strong sub summary sup table tbody "
    "td tfoot th thead time tr u ul var wbr "
    "svg g path rect circle ellipse line polyline polygon text tspan title desc".split()
)
CONTENT_ATTRIBUTES = frozenset(
    "class id lang dir title href rel role alt src width height colspan rowspan scope headers datetime open "
    "data-parity data-search-exclude viewbox xmlns d x y x1 y1 x2 y2 cx cy r rx ry points transform "
    "text-anchor dominant-baseline".split()
)
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


def script_digest(body: str) -> str:
    """The script's fingerprint for `KNOWN_INLINE_SCRIPTS` (its text, with __md_scope's URL left out)."""
    return hashlib.sha256(SCOPE_URL.sub('__md_scope=new URL("",location)', body).encode("utf-8")).hexdigest()


def is_known_script(body: str) -> bool:
    return script_digest(body) in KNOWN_INLINE_SCRIPTS


def _scheme(url: str) -> str:
    """The URL's scheme as a browser reads it (it drops tabs, newlines and leading control characters)."""
    cleaned = re.sub(r"[\t\n\r]", "", url).lstrip("\x00\x20\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f")
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else ""


def _loads_from_another_host(url: str) -> bool:
    cleaned = re.sub(r"[\t\n\r]", "", url).strip().replace("\\", "/")
    parts = urlsplit(cleaned)
    return bool(parts.scheme or parts.netloc or cleaned.startswith("//"))


class _PageCheck(HTMLParser):
    def __init__(self, name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.name = name
        self.problems: list[Problem] = []
        self.csp: str | None = None
        self.referrer: str | None = None
        self.loaded_before_policy = False
        self.content: list[str] | None = None  # open elements inside the content area
        self.script: tuple[int, str] | None = None  # (line, type) of the open <script>
        self.script_text: list[str] = []
        self.inline_scripts: list[tuple[int, str]] = []

    def problem(self, message: str, fix: str) -> None:
        self.problems.append(Problem(self.name, self.getpos()[0], message, fix))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)
        if self.content is not None and tag not in VOID:
            self.content.append(tag)
        values = {k: v or "" for k, v in attrs}
        if self.content is None and tag == "article" and "md-content__inner" in values.get("class", "").split():
            self.content = []
        if tag == "script" and "src" not in values:
            self.script, self.script_text = (self.getpos()[0], values.get("type", "").lower()), []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.content is not None:
            if not self.content and tag == "article":
                self.content = None
            elif tag in self.content:
                while self.content.pop() != tag:
                    pass
        if tag == "script" and self.script:
            line, kind = self.script
            body = "".join(self.script_text)
            if kind in JAVASCRIPT_TYPES:
                self.inline_scripts.append((line, body))
            elif kind not in DATA_TYPES:
                self.problems.append(
                    Problem(self.name, line, f"<script type={kind!r}>", "use JavaScript from the theme only")
                )
            self.script = None

    def handle_data(self, data: str) -> None:
        if self.script:
            self.script_text.append(data)

    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta" and values.get("http-equiv", "").lower() == CSP_NAME:
            self.csp = values.get("content", "")
        if tag == "meta" and values.get("name", "").lower() == "referrer":
            self.referrer = values.get("content", "")
        if tag in ("script", "link", "style", "img") and self.csp is None:
            self.loaded_before_policy = True
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problem(
                    f"event handler attribute {name}= on <{tag}>", "remove it: the site runs no inline handlers"
                )
            if name in URL_ATTRIBUTES and _scheme(value) in BAD_SCHEMES:
                self.problem(
                    f"a {_scheme(value)}: URL in <{tag} {name}>", "link to a page of the site or an https:// URL"
                )
            loads = name in LOADING_ATTRIBUTES or (
                tag == "link" and name == "href" and LOADING_LINKS & set(values.get("rel", "").lower().split())
            )
            if loads and _loads_from_another_host(value):
                self.problem(
                    f"<{tag} {name}={value[:80]!r}> loads from another host",
                    "serve the file from the site (docs/assets/) by a relative address",
                )
        if self.content is not None:
            if tag not in CONTENT_ELEMENTS:
                self.problem(f"<{tag}> in the content area", "pages hold text, lists, tables and figures only")
            for name, _ in attrs:
                if name not in CONTENT_ATTRIBUTES and not name.startswith("aria-"):
                    self.problem(f"attribute {name}= on <{tag}> in the content area", "remove the attribute")


def check_page(html: str, name: str) -> list[Problem]:
    """Every problem of one built page."""
    parser = _PageCheck(name)
    parser.feed(html)
    parser.close()
    problems = parser.problems
    fix = "build with the project's hooks (page_delivery adds the policies to every page)"
    if parser.csp is None or not parser.csp.startswith("default-src 'none'"):
        problems.append(Problem(name, 1, "no Content-Security-Policy starting with default-src 'none'", fix))
    elif parser.loaded_before_policy:
        problems.append(Problem(name, 1, "the page loads something before its Content-Security-Policy", fix))
    if parser.referrer is None:
        problems.append(Problem(name, 1, "no referrer policy", fix))
    for line, body in parser.inline_scripts:
        if not is_known_script(body):
            problems.append(
                Problem(
                    name,
                    line,
                    f"inline script {script_digest(body)[:16]}… is not one of the theme's known scripts: {body[:60]!r}",
                    "remove it; after a theme upgrade, review the script and add its full hash "
                    f"({script_digest(body)}) to html_policy.KNOWN_INLINE_SCRIPTS",
                )
            )
        elif parser.csp and "'unsafe-inline'" not in parser.csp and csp_hash(body) not in parser.csp:
            problems.append(Problem(name, line, "a known inline script whose hash the policy does not list", fix))
    return problems


def csp_hash(body: str) -> str:
    """The CSP source expression that allows exactly this inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"


def check_site_dir(site_dir: Path) -> list[Problem]:
    """Every problem of every HTML page of a built site (names relative to the site folder)."""
    problems: list[Problem] = []
    pages = sorted(site_dir.rglob("*.html"))
    if not pages:
        return [Problem(site_dir.as_posix(), 1, "no HTML pages in this folder", "build the site first")]
    for path in pages:
        problems += check_page(path.read_text(encoding="utf-8"), path.relative_to(site_dir).as_posix())
    return problems + svg_assets.check_built_svgs(site_dir)
