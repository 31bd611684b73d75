"""What a page's content may hold once rendered: the one allowlist, its sanitizer and its fixed-point test.

The renderer (`mdx.sanitize`) cleans every page with `sanitize`; the checks of the sources
(`checks.content_policy`) and of the built site (`publications.html_policy`) ask `changes` what the
same cleaning would change, and refuse the page when the answer is not "nothing"; CONTRIBUTING
("What raw HTML and assets may hold") lists the same sets for authors.

- **Elements and attributes** (`ELEMENTS`, `GLOBAL_ATTRIBUTES`, `aria-*`): text markup, lists,
  tables, details, figures, images from the site itself, and the SVG subset of the figures chart.
  Anything else is removed (its text kept; `<script>` and `<style>` with their text).
- **Classes** (`CLASSES`): only the ones the site's renderers and the theme's content area use,
  so that a page cannot dress itself as the theme's components (Material mounts behaviour on them).
- **URLs** (`URL_SCHEMES`): relative addresses and `https:`, `http:`, `mailto:`; an image only from
  the site itself (`LOADING`: no host); `rel` only with the `REL_VALUES` (no `attachment`).
- **Titles** (`TOOLTIP_ATTRIBUTES`): Material's tooltips copy an element's `title` into `innerHTML`,
  so a title holds no `<` or `>`: the sanitizer writes them as the entities `&lt;` / `&gt;`, which
  that sink shows as text (and which stay as they are when cleaned again: a fixed point).

Sanitizing is Ammonia's (nh3), which parses with html5ever; the comparison parses with lexbor
(selectolax). Both implement the WHATWG parsing algorithm that browsers use, so comments, CR/LF/FF
between attributes, entities, `<svg>`/`<math>` nesting and `<template>` read as a browser reads them.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass

import nh3
from selectolax.lexbor import LexborHTMLParser, LexborNode

# Attributes every allowed element may carry (and `aria-*`).
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "lang", "dir", "title", "role"})
ARIA_PREFIX = "aria-"
# Presentation only (Zensical's icons draw with them).
SVG_SHAPE = frozenset({"transform", "fill", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin"})
# Each allowed element and the attributes it may carry besides the global ones.
ELEMENTS: dict[str, frozenset[str]] = {
    **{
        tag: frozenset()
        for tag in (
            "abbr b bdi blockquote br caption cite code dd dfn div dl dt em figcaption figure "
            "h1 h2 h3 h4 h5 h6 hr i kbd mark p pre q s samp small strong sub summary sup table "
            "tbody thead tfoot tr u ul var wbr article"
        ).split()
    },
    "a": frozenset({"href", "rel", "download", "hreflang", "tabindex"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "span": frozenset({"data-parity"}),
    "td": frozenset({"colspan", "rowspan", "headers"}),
    "th": frozenset({"colspan", "rowspan", "headers", "scope", "abbr"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed"}),
    "li": frozenset({"value"}),
    "time": frozenset({"datetime"}),
    "del": frozenset({"datetime"}),
    "ins": frozenset({"datetime"}),
    "details": frozenset({"open"}),
    "bdo": frozenset(),
    # The SVG of the figures chart, the locator maps and the theme's icons (names as the HTML parser writes them).
    "svg": SVG_SHAPE | {"xmlns", "viewBox", "width", "height", "preserveAspectRatio"},
    "g": SVG_SHAPE,
    "path": SVG_SHAPE | {"d"},
    "rect": SVG_SHAPE | {"x", "y", "width", "height", "rx", "ry"},
    "circle": SVG_SHAPE | {"cx", "cy", "r"},
    "ellipse": SVG_SHAPE | {"cx", "cy", "rx", "ry"},
    "line": SVG_SHAPE | {"x1", "y1", "x2", "y2"},
    "polyline": SVG_SHAPE | {"points"},
    "polygon": SVG_SHAPE | {"points"},
    "text": SVG_SHAPE | {"x", "y", "dx", "dy", "text-anchor", "dominant-baseline"},
    "tspan": SVG_SHAPE | {"x", "y", "dx", "dy", "text-anchor", "dominant-baseline"},
    "title": frozenset(),
    "desc": frozenset(),
}
# Data attributes the site's renderers write: search leaves the footnotes out; parity marks.
DATA_ATTRIBUTES = {"div": frozenset({"data-search-exclude"}), "span": frozenset({"data-search-exclude"})}
# The classes the renderers and the theme's content area use, per element (any other is removed).
ADMONITIONS = frozenset(
    "admonition note abstract info tip success question warning failure danger bug example quote".split()
)
CLASSES: dict[str, frozenset[str]] = {
    "a": frozenset(
        "footnote-ref footnote-backref footnote-backref--lettered headerlink md-content__button md-icon "
        "md-button md-button--primary locator-map__place".split()
    ),
    "article": frozenset({"md-content__inner", "md-typeset"}),
    "div": ADMONITIONS | {"footnote", "download", "admonition-title"},
    "details": ADMONITIONS,
    "p": frozenset({"admonition-title", "data-downloads", "download", "feed", "page-meta", "locator-map__caption"}),
    "pre": frozenset({"copy"}),
    "span": frozenset(
        {"timeline__date", "timeline__kind", "timeline__kind--forecast", "timeline__kind--report", "cell-label"}
    ),
    "sup": frozenset({"footnote-sep"}),  # the comma between adjacent note markers
    "svg": frozenset({"figure-chart", "lucide", "lucide-file-pen", "locator-map__svg"}),  # + Zensical's edit icon
    "rect": frozenset({"figure-chart__bar", "figure-chart__range"}),
    "text": frozenset(
        {
            "figure-chart__date",
            "figure-chart__label",
            "figure-chart__value",
            "figure-chart__meta",
            "figure-chart__source",
            "figure-chart__tick",
            "locator-map__label",
        }
    ),
    "line": frozenset({"figure-chart__grid", "figure-chart__axis"}),
    # The locator maps (mdx.maps).
    "figure": frozenset({"locator-map"}),
    "g": frozenset({"locator-map__shapes", "locator-map__places"}),
    "path": frozenset({"locator-map__land", "locator-map__focus"}),
    "circle": frozenset({"locator-map__dot"}),
}
URL_SCHEMES = frozenset({"https", "http", "mailto"})
# Attributes that make the browser (or WeasyPrint) load what they name: from the site itself only.
LOADING = frozenset({("img", "src")})
# Link relations: none that makes a renderer fetch or embed the target (WeasyPrint's `attachment`).
REL_VALUES = frozenset({"edit", "external", "nofollow", "noopener", "noreferrer", "license", "bookmark"})
# Attributes whose text the theme puts into innerHTML (Material's tooltips): escaped for that sink.
TOOLTIP_ATTRIBUTES = frozenset({"title"})
# Elements removed with everything in them (not only their tags).
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe", "object", "math", "textarea"})


def _host_or_scheme(url: str) -> bool:
    """Whether a URL names a host or a scheme, as a browser reads it (tabs, newlines and `\\` as `/`)."""
    cleaned = re.sub(r"[\t\n\r]", "", url).strip("\x00 \x0c").replace("\\", "/")
    return bool(re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", cleaned) or cleaned.startswith("//"))


def escape_for_tooltip(text: str) -> str:
    """A title's text as the theme's innerHTML sink shows it as text: `<` and `>` as entities."""
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    if name in TOOLTIP_ATTRIBUTES:
        return escape_for_tooltip(value)
    if (tag, name) in LOADING and _host_or_scheme(value):
        return None
    if name == "rel":
        kept = [word for word in value.lower().split() if word in REL_VALUES]
        return " ".join(kept) or None
    return value


@functools.cache
def _cleaner() -> nh3.Cleaner:
    attributes = {tag: set(names) | DATA_ATTRIBUTES.get(tag, set()) for tag, names in ELEMENTS.items()}
    attributes["*"] = set(GLOBAL_ATTRIBUTES - {"class"})
    return nh3.Cleaner(
        tags=set(ELEMENTS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes=attributes,
        attribute_filter=_attribute_filter,
        generic_attribute_prefixes={ARIA_PREFIX},
        allowed_classes={tag: set(names) for tag, names in CLASSES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


def sanitize(html: str) -> str:
    """The HTML fragment with only what the allowlist allows (Ammonia, through nh3)."""
    return _cleaner().clean(html)


# The comparison: a fragment as the browser's tree, written as a list of tokens.
Token = tuple


def _tokens(node: LexborNode) -> list[Token]:
    """The children of `node` as start tags (attributes sorted), end tags and text; comments left out.

    Walked with a stack of its own, so that content nested thousands deep is no recursion error.
    """
    tokens: list[Token] = []
    open_elements: list[tuple[str, LexborNode | None]] = []  # (tag, the node after it)
    child = node.child
    while child is not None or open_elements:
        if child is None:
            tag, child = open_elements.pop()
            tokens.append(("end", tag))
            continue
        tag = child.tag
        if tag == "-text":
            text = child.text_content or ""
            if tokens and tokens[-1][0] == "text":
                tokens[-1] = ("text", tokens[-1][1] + text)
            elif text:
                tokens.append(("text", text))
        elif not tag.startswith("-"):  # elements; not comments or doctypes
            tokens.append(("start", tag, tuple(sorted((k, v or "") for k, v in child.attributes.items()))))
            if tag == "template":  # its content is a fragment of its own, invisible to `child`
                tokens.append(("text", "".join(f.html or "" for f in child.template_fragments())))
            open_elements.append((tag, child.next))
            child = child.child
            continue
        child = child.next
    return tokens


def _fragment(html: str) -> LexborNode:
    """The body of a standards-mode document holding the fragment (the context nh3 parses it in)."""
    return LexborHTMLParser("<!DOCTYPE html><html><head></head><body>" + html, scripting=True).body


def _show(token: Token) -> str:
    if token[0] == "start":
        attributes = "".join(f' {name}="{value}"' for name, value in token[2])
        return f"<{token[1]}{attributes}>"
    if token[0] == "end":
        return f"</{token[1]}>"
    return token[1]


@dataclass(frozen=True)
class Change:
    """One difference between content and its sanitized form: what the allowlist removes or rewrites."""

    before: str  # the markup as written (a start tag, an end tag or text), "" when something is added
    after: str  # what the allowlist keeps of it, "" when it is removed
    tag: str  # the element concerned ("" for text)
    values: tuple[str, ...] = ()  # the values of the attributes it removes or rewrites (to find the source line)
    attributes: tuple[str, ...] = ()  # the names of those attributes

    def describe(self) -> str:
        if not self.after:
            return f"{_short(self.before)} is not allowed (removed)"
        if not self.before:
            return f"the allowlist would write {_short(self.after)}"
        return f"{_short(self.before)} is not allowed as written: the allowlist keeps {_short(self.after)}"


def _short(text: str, limit: int = 120) -> str:
    text = text.replace("\n", "\\n").replace("\r", "\\r").replace("\x0c", "\\f")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _change(was: Token | None, now: Token | None) -> Change:
    kind, name = (was or now)[0], (was or now)[1]  # at least one of them
    values: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    if was is not None and kind == "start":
        kept = dict(now[2]) if now is not None and now[0] == "start" else {}
        changed = [(attribute, value) for attribute, value in was[2] if kept.get(attribute) != value]
        names, values = tuple(a for a, _ in changed), tuple(v for _, v in changed)
    elif was is not None and kind == "text":
        values = (was[1],)
    return Change(_show(was) if was else "", _show(now) if now else "", name if kind != "text" else "", values, names)


LOOKAHEAD = 16


def _same(token: Token, other: Token) -> bool:
    """The same token, or the start tag of the same element."""
    return token == other or (token[0] == other[0] == "start" and token[1] == other[1])


def _changes(before: list[Token], after: list[Token]) -> list[Change]:
    """The differences, one per start tag removed or rewritten (the text, where no element went).

    The sanitizer only removes and rewrites, never adds or moves, so one pass over both lists finds
    them (linear: no diff algorithm that hostile nesting could make quadratic).
    """
    if before == after:
        return []
    found: list[Change] = []
    old = [token for token in before if token[0] != "text"]
    new = [token for token in after if token[0] != "text"]
    j = 0
    for token in old:
        # The same token, or the same element rewritten, a few tokens on at most: anything before it
        # in the sanitized tree is markup that only the sanitizer's parser saw (a parser differential).
        ahead = next(
            (k for k in range(LOOKAHEAD) if j + k < len(new) and _same(token, new[j + k])),
            None,
        )
        if ahead is None:
            if token[0] == "start":
                found.append(_change(token, None))  # removed (its end too, and its content or not)
            continue
        found += [_change(None, extra) for extra in new[j : j + ahead] if extra[0] == "start"]
        twin, j = new[j + ahead], j + ahead + 1
        if twin != token:
            found.append(_change(token, twin))  # the same element, attributes removed or rewritten
    if not found:
        old_text = "".join(token[1] for token in before if token[0] == "text")
        new_text = "".join(token[1] for token in after if token[0] == "text")
        if old_text != new_text:
            found.append(_change(("text", old_text), ("text", new_text) if new_text else None))
    return found


def _review(before: LexborNode, cleaned: str) -> list[Change]:
    written = before.inner_html or ""
    if written == cleaned:  # the allowlist writes the same markup (the usual case): nothing to parse again
        return []
    after = _fragment(cleaned)
    if written == (after.inner_html or ""):  # the same tree, in lexbor's serialisation
        return []
    return _changes(_tokens(before), _tokens(after))


def changes_in_node(node: LexborNode) -> list[Change]:
    """What sanitizing would change in the children of a parsed node (a built page's content area)."""
    return _review(node, sanitize(node.inner_html or ""))


def sanitize_and_review(html: str) -> tuple[str, list[Change]]:
    """The fragment sanitized, and what that changed: [] when it was already a fixed point of the allowlist."""
    cleaned = sanitize(html)
    return cleaned, _review(_fragment(html), cleaned)


def changes(html: str) -> list[Change]:
    """What sanitizing would change in an HTML fragment: [] when it is already a fixed point of the allowlist."""
    return sanitize_and_review(html)[1]


def source_line(source: str, change: Change) -> int:
    """The line of a page's source where the changed markup is written (1 when it cannot be found there).

    Looked up by what the change names: a removed or rewritten attribute's value (as written or
    with its entities; its first line, then its first words, as a title written over two lines
    starts), at the start tag `<tag` just before it; else the first `<tag`.
    """
    starts = [m.start() for m in re.finditer(rf"<\s*{re.escape(change.tag)}\b", source, re.I)] if change.tag else []
    firsts = [value.strip().split("\n")[0].strip() for value in change.values]
    needles = [n for first in firsts for n in (first, html.escape(first, quote=False), first[:10]) if len(n) >= 3]
    first_seen = -1
    for needle in needles:
        at = source.find(needle)  # values keep their case
        first_seen = at if first_seen < 0 else first_seen
        for _ in range(100):  # the first occurrence just after a start tag of the element
            if at < 0:
                break
            if tag := [start for start in starts if at - 400 <= start <= at]:
                return source.count("\n", 0, tag[-1]) + 1
            at = source.find(needle, at + 1)
    if first_seen >= 0:  # written in Markdown (a link title), not as a tag
        return source.count("\n", 0, first_seen) + 1
    return source.count("\n", 0, starts[0]) + 1 if starts else 1
