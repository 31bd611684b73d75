"""The post-build check: what the built HTML may hold, whatever wrote it (pages, data, templates, plugins).

`scripts/docs.py` runs it on every build it makes (`build`, `build --offline`, `build-zensical`)
before the site is kept, and `scripts/docs.py verify-site DIR` on any built site. Each page is
parsed as a browser parses it (lexbor, through selectolax: the WHATWG algorithm, so a comment
like `<!-->`, attributes split by CR, LF or form feed, entities in URLs and `<svg>`/`<math>`
nesting read as they do in Chromium). It refuses, on every page:

- a page without the Content-Security-Policy and referrer `<meta>` tags (`page_delivery` adds them)
  before anything it loads;
- an inline script other than the theme's known ones (`KNOWN_INLINE_SCRIPTS`), a known one whose
  hash the policy does not list, a policy with `'unsafe-inline'` (or any `'unsafe-…'`); a
  `<script type>` that is neither JavaScript nor JSON data;
- an event handler attribute (`on…`) or `srcdoc` on any element; a `javascript:`, `vbscript:` or
  `data:` URL; a resource loaded from another host (`src`, `srcset`, `poster`, `data`, a stylesheet
  or icon link);
- a `title` holding `<`: Material's tooltips copy titles into `innerHTML` (everywhere on the page);
- in every content area (`.md-content`), anything the site's HTML allowlist
  (`inputs.html_allowlist`) would change: the content must be a fixed point of the sanitizer.

Problems in a page name its source (`docs/en/briefings/x.md`) and the line of the offending markup
there when it can be found; the built file otherwise.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..checks import svg_assets
from ..inputs import html_allowlist
from ..inputs.site_model import DEFAULT_LANGUAGE, LANGUAGES, Problem

# The theme's inline scripts, by the SHA-256 of their text with `__md_scope`'s URL (the page's depth)
# left out: Material 9.8.1's base.html (scope and storage helpers, palette, scroll to the target)
# (the project's own switcher script is a file, overrides/assets/rnk-switcher.js).
# After a theme upgrade, the check names each new hash: review the script, then add its hash here.
KNOWN_INLINE_SCRIPTS = {
    "7eb3684fdacd2881f67b9428983273a29d8774d8bc82622af9b65a8ec1032a90": "Material: __md_scope and storage helpers",
    "0eb10c249dbdb0beef225a10ce5cbe55418cc4a7014cc208f8e7d6ed8f00906e": "Material: palette from local storage",
    "ffcc0f7735fdab434d257c80e65cec2e88d716991e69757185b7e450e41a5b2f": "Material: scroll to the URL's target",
    # Zensical 0.0.73's templates (`make build-zensical`), as page_delivery leaves them (indentation removed).
    "213d571a86bd568ccb65bf92ca3cf95284d8c140997189b0272a503b72fa3988": "Zensical: __md_scope, storage helpers, platform",
    "9022578e968b9cd76c71b077330493adcb682b8155cf63415cb3dc14c7cad68b": "zensical-i18n: language switcher links",
}
SCOPE_URL = re.compile(r'^__md_scope=new URL\("[^"\\]*",location\)')
JAVASCRIPT_TYPES = ("", "text/javascript", "module")
DATA_TYPES = ("application/json", "application/ld+json")

CSP_NAME = "content-security-policy"
URL_ATTRIBUTES = ("href", "src", "srcset", "action", "formaction", "poster", "data", "xlink:href", "background", "cite")
LOADING_ATTRIBUTES = ("src", "srcset", "poster", "data", "background")
LOADING_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest", "apple-touch-icon"}
BAD_SCHEMES = ("javascript", "vbscript", "data")
# Attributes that run or load a document of their own, on any element.
ACTIVE_ATTRIBUTES = ("srcdoc",)
CONTENT_AREA = ".md-content"
ALLOWLIST_FIX = 'write only what CONTRIBUTING.md, "What raw HTML and assets may hold", lists'


def script_digest(body: str) -> str:
    """The script's fingerprint for `KNOWN_INLINE_SCRIPTS` (its text, with __md_scope's URL left out)."""
    return hashlib.sha256(SCOPE_URL.sub('__md_scope=new URL("",location)', body).encode("utf-8")).hexdigest()


def is_known_script(body: str) -> bool:
    return script_digest(body) in KNOWN_INLINE_SCRIPTS


def csp_hash(body: str) -> str:
    """The CSP source expression that allows exactly this inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"


def inline_scripts(tree: LexborHTMLParser) -> list[tuple[str, str]]:
    """Every inline `<script>` of a parsed page as (type, text), in document order (what a browser runs)."""
    return [
        ((node.attributes.get("type") or "").strip().lower(), node.text(deep=True) or "")
        for node in tree.css("script")
        if "src" not in node.attributes
    ]


def _scheme(url: str) -> str:
    """The URL's scheme as a browser reads it (it drops tabs, newlines and leading control characters)."""
    cleaned = re.sub(r"[\t\n\r]", "", url).lstrip("".join(map(chr, range(0x21))))
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else ""


def _loads_from_another_host(url: str) -> bool:
    cleaned = re.sub(r"[\t\n\r]", "", url).strip().replace("\\", "/")
    parts = urlsplit(cleaned)
    return bool(parts.scheme or parts.netloc or cleaned.startswith("//"))


def source_page(built: str, docs_dir: Path | None) -> Path | None:
    """The Markdown source of a built page (`en/briefings/x/index.html` -> `docs/en/briefings/x.md`), if any."""
    if docs_dir is None:
        return None
    parts = built.split("/")
    lang = DEFAULT_LANGUAGE
    if len(parts) > 1 and parts[0] in LANGUAGES and parts[0] != DEFAULT_LANGUAGE:
        lang, parts = parts[0], parts[1:]
    rest = "/".join(parts)
    if rest == "index.html":
        candidates = ["index.md"]
    elif rest.endswith("/index.html"):  # directory URLs (the web build)
        stem = rest.removesuffix("/index.html")
        candidates = [f"{stem}.md", f"{stem}/index.md"]
    else:  # file URLs (the offline build)
        candidates = [rest.removesuffix(".html") + ".md"]
    for candidate in candidates:
        if (docs_dir / lang / candidate).is_file():
            return docs_dir / lang / candidate
    return None


class _Page:
    """One built page: its problems, named at the source page's line where the markup is found there."""

    def __init__(self, html: str, name: str, source: Path | None, shown: str) -> None:
        self.html, self.name, self.source, self.shown = html, name, source, shown
        self.written = source.read_text(encoding="utf-8") if source else ""
        self.problems: list[Problem] = []

    def delivery(self, message: str, fix: str, needle: str = "") -> None:
        """A problem of the page as built (its policies and scripts): named at the built file."""
        at = self.html.find(needle) if needle else -1
        self.problems.append(Problem(self.name, self.html.count("\n", 0, at) + 1 if at > 0 else 1, message, fix))

    def markup(self, message: str, fix: str, change: html_allowlist.Change) -> None:
        """A problem of the markup: named at the source page and line when there is one."""
        if self.source is None:
            needles = [value for value in change.values if value] or [f"<{change.tag}"]
            return self.delivery(message, fix, needles[0])
        line = html_allowlist.source_line(self.written, change)
        self.problems.append(Problem(self.shown, line, f"{message} (in the built {self.name})", fix))


def _attribute_problems(page: _Page, node: LexborNode) -> None:
    tag, values = node.tag, {k: v or "" for k, v in node.attributes.items()}

    def problem(message: str, fix: str, value: str) -> None:
        page.markup(message, fix, html_allowlist.Change(f"<{tag}>", "", tag, (value,)))

    for name, value in values.items():
        if name.startswith("on") or name in ACTIVE_ATTRIBUTES:
            problem(f"{name}= on <{tag}>", "remove it: the site runs no inline handlers or documents", value)
        if name in URL_ATTRIBUTES and _scheme(value) in BAD_SCHEMES:
            problem(
                f"a {_scheme(value)}: URL in <{tag} {name}>", "link to a page of the site or an https:// URL", value
            )
        loads = name in LOADING_ATTRIBUTES or (
            tag == "link" and name == "href" and LOADING_LINKS & set(values.get("rel", "").lower().split())
        )
        if loads and _loads_from_another_host(value):
            problem(
                f"<{tag} {name}={value[:80]!r}> loads from another host",
                "serve the file from the site (docs/assets/) by a relative address",
                value,
            )
        if name in html_allowlist.TOOLTIP_ATTRIBUTES and "<" in value:
            problem(
                f"a {name} holding markup on <{tag}>: {value[:80]!r} (the theme's tooltips turn it into HTML)",
                "write the title as plain text (the sanitizer writes < and > as &lt; and &gt;)",
                value,
            )


def check_page(html: str, name: str, source: Path | None = None, shown: str = "") -> list[Problem]:
    """Every problem of one built page (`source`: its Markdown file, named `shown`, to name the line of a problem)."""
    page = _Page(html, name, source, shown or (source.as_posix() if source else name))
    tree = LexborHTMLParser(html, scripting=True)  # as a browser that runs scripts parses it
    csp = referrer = None
    loaded_before_policy = False
    for node in tree.root.traverse() if tree.root else ():
        tag, values = node.tag, node.attributes
        if tag.startswith("-"):
            continue
        if tag == "meta" and (values.get("http-equiv") or "").lower() == CSP_NAME and csp is None:
            csp = values.get("content") or ""
        if tag == "meta" and (values.get("name") or "").lower() == "referrer":
            referrer = values.get("content") or ""
        if tag in ("script", "link", "style", "img") and csp is None:
            loaded_before_policy = True
        _attribute_problems(page, node)
    for kind, body in inline_scripts(tree):
        if kind not in JAVASCRIPT_TYPES + DATA_TYPES:
            page.delivery(f"<script type={kind!r}>", "use JavaScript from the theme only", f"type={kind}")
        elif kind in JAVASCRIPT_TYPES and not is_known_script(body):
            page.delivery(
                f"inline script {script_digest(body)[:16]}… is not one of the theme's known scripts: {body[:60]!r}",
                "remove it; after a theme upgrade, review the script and add its full hash "
                f"({script_digest(body)}) to html_policy.KNOWN_INLINE_SCRIPTS",
                body[:40],
            )
        elif kind in JAVASCRIPT_TYPES and csp and csp_hash(body) not in csp:
            page.delivery("a known inline script whose hash the policy does not list", _DELIVERY_FIX, body[:40])
    for area in tree.css(CONTENT_AREA):
        for change in html_allowlist.changes_in_node(area):
            page.markup(f"in the content area, {change.describe()}", ALLOWLIST_FIX, change)
    if csp is None or not csp.startswith("default-src 'none'"):
        page.delivery("no Content-Security-Policy starting with default-src 'none'", _DELIVERY_FIX)
    elif "'unsafe-" in csp:
        page.delivery("the Content-Security-Policy allows 'unsafe-…' sources", _DELIVERY_FIX, "'unsafe-")
    elif loaded_before_policy:
        page.delivery("the page loads something before its Content-Security-Policy", _DELIVERY_FIX)
    if referrer is None:
        page.delivery("no referrer policy", _DELIVERY_FIX)
    return page.problems


_DELIVERY_FIX = "build with the project's hooks (page_delivery adds the policies to every page)"


def check_site_dir(site_dir: Path, docs_dir: Path | None = None) -> list[Problem]:
    """Every problem of every HTML page of a built site (names relative to the site folder, or the source page).

    `docs_dir`: the sources' folder (default: `docs/` of the current folder, when there is one).
    """
    if docs_dir is None and Path("docs").is_dir():
        docs_dir = Path("docs")
    problems: list[Problem] = []
    pages = sorted(site_dir.rglob("*.html"))
    if not pages:
        return [Problem(site_dir.as_posix(), 1, "no HTML pages in this folder", "build the site first")]
    for path in pages:
        name = path.relative_to(site_dir).as_posix()
        source = source_page(name, docs_dir)
        shown = source.relative_to(docs_dir.parent).as_posix() if source and docs_dir else ""
        problems += check_page(path.read_text(encoding="utf-8"), name, source, shown)
    return problems + svg_assets.check_built_svgs(site_dir)
