"""SVG assets: the subset of SVG a drawing in docs/assets/ may use, checked before the build and in the built site.

An SVG file opened by a link runs on the site's origin like a page, so it is read as the XML it is
(expat through defusedxml: a DOCTYPE, entities and external references are refused before anything
is expanded) and every element and attribute, with its namespace resolved, must be on the lists
below. That refuses, whatever the spelling: `<script>`, `<foreignObject>`, `<image>`, `<use>`, `<a>`,
animation elements, event handlers (`onload` with `=` on the next line too), a prefixed
`<s:script xmlns:s="http://www.w3.org/2000/svg">`, elements of other namespaces (XHTML), processing
instructions (`<?xml-stylesheet?>`), and any reference other than to an element of the same file
(`href="#id"`, `fill="url(#id)"`): no `javascript:`, `data:`, file or remote address, in an
attribute, a `style` attribute or a `<style>` element, and no CSS escapes or `@import` there.

`check_svg` checks one file's text; `check_built_svgs` every SVG of a built site (the post-build
check, `publications.html_policy.check_site_dir`, calls it). CONTRIBUTING.md ("SVG assets") lists
the subset for authors.
"""

from __future__ import annotations

import io
import re
import xml.sax
from pathlib import Path
from xml.sax.handler import ContentHandler, feature_namespaces

from ..inputs.site_model import Problem

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"

# Shapes, text, grouping, and the paint servers, clipping and markers that refer to them.
ELEMENTS = frozenset(
    "svg g defs title desc path rect circle ellipse line polyline polygon text tspan textPath "
    "linearGradient radialGradient stop clipPath mask pattern marker symbol style".split()
)
ATTRIBUTES = frozenset(
    "id class style viewBox width height x y x1 y1 x2 y2 cx cy r rx ry fx fy d points transform pathLength "
    "version baseProfile preserveAspectRatio role aria-label aria-hidden aria-labelledby aria-describedby lang "
    "fill fill-opacity fill-rule stroke stroke-width stroke-linecap stroke-linejoin stroke-miterlimit "
    "stroke-dasharray stroke-dashoffset stroke-opacity opacity color display visibility overflow "
    "clip-path clip-rule mask vector-effect shape-rendering text-rendering paint-order "
    "font-family font-size font-weight font-style font-variant letter-spacing word-spacing text-anchor "
    "dominant-baseline alignment-baseline baseline-shift text-decoration writing-mode direction "
    "dx dy rotate textLength lengthAdjust startOffset method spacing "
    "gradientUnits gradientTransform spreadMethod offset stop-color stop-opacity "
    "clipPathUnits maskUnits maskContentUnits patternUnits patternContentUnits patternTransform "
    "markerWidth markerHeight markerUnits refX refY orient marker-start marker-mid marker-end href type media".split()
)
# Namespaced attributes: only a reference within the file (xlink:href) and the XML language and spacing.
NAMESPACED = frozenset({(XLINK, "href"), (XML, "lang"), (XML, "space")})
REFERENCES = frozenset({"href"})  # attributes holding a URL: a fragment of the same file only
LOCAL_REFERENCE = re.compile(r"#[A-Za-z_][\w.:-]*")
# In any attribute, style or <style>: url() only to a fragment, no CSS escape, no @import or old script hooks.
CSS_UNSAFE = re.compile(r"\\|@import|expression\s*\(|-moz-binding|behavior\s*:|javascript:|data:", re.I)
URL_FUNCTION = re.compile(r"url\s*\(\s*(['\"]?)\s*([^)'\"]*)", re.I)
FIX = "keep the drawing only: shapes, text, gradients and references to ids in the same file (CONTRIBUTING.md, 'SVG assets')"


def _unsafe_css(value: str) -> str | None:
    """What is refused in a CSS value or an attribute value, if anything."""
    if found := CSS_UNSAFE.search(value):
        return found.group(0)
    for match in URL_FUNCTION.finditer(value):
        if not LOCAL_REFERENCE.fullmatch(match.group(2).strip()):
            return f"url({match.group(2).strip()[:60]})"
    return None


class _Checker(ContentHandler):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.problems: list[Problem] = []
        self.open: list[str] = []
        self.text: list[str] = []

    def problem(self, message: str) -> None:
        line = self._locator.getLineNumber() if self._locator else 1
        column = self._locator.getColumnNumber() + 1 if self._locator else 1
        self.problems.append(Problem(self.name, line, f"column {column}: {message}", FIX))

    def startElementNS(self, name, qname, attrs) -> None:  # noqa: N802 (SAX's names)
        namespace, local = name
        shown = qname or local
        if namespace != SVG or local not in ELEMENTS:
            where = "" if namespace == SVG else f" (namespace {namespace or 'none'})"
            self.problem(f"<{shown}>{where} is not an element of the SVG subset the site allows")
        for (attr_namespace, attr), value in attrs.items():
            label = attrs.getQNameByName((attr_namespace, attr)) or attr
            if (
                attr_namespace is None
                and attr not in ATTRIBUTES
                or attr_namespace
                and ((attr_namespace, attr) not in NAMESPACED)
            ):
                self.problem(
                    f"attribute {label}= on <{shown}> is not allowed (event handlers, links and scripts are not)"
                )
                continue
            if attr in REFERENCES and not LOCAL_REFERENCE.fullmatch(value.strip()):
                self.problem(f"{label}={value[:60]!r} on <{shown}> refers outside the file (only #id is allowed)")
            elif unsafe := _unsafe_css(value):
                self.problem(f"{label}= on <{shown}> holds {unsafe!r}")
        self.open.append(local)
        self.text = []

    def endElementNS(self, name, qname) -> None:  # noqa: N802
        if name[1] == "style" and (unsafe := _unsafe_css("".join(self.text))):
            self.problem(f"<style> holds {unsafe!r}")
        self.open.pop()

    def characters(self, content: str) -> None:
        self.text.append(content)

    def processingInstruction(self, target: str, data: str) -> None:  # noqa: N802
        self.problem(f"processing instruction <?{target} …?> (a style sheet or script from elsewhere)")


def check_svg(text: str, name: str) -> list[Problem]:
    """Every way an SVG file's text leaves the subset, at its line and column."""
    from defusedxml import DefusedXmlException
    from defusedxml.sax import make_parser

    checker = _Checker(name)
    parser = make_parser()
    parser.setFeature(feature_namespaces, True)
    parser.forbid_dtd = parser.forbid_entities = parser.forbid_external = True
    parser.setContentHandler(checker)
    try:
        parser.parse(io.BytesIO(text.encode("utf-8")))
    except DefusedXmlException as error:
        line = checker._locator.getLineNumber() if checker._locator else 1
        kind = "a DOCTYPE" if "DTD" in type(error).__name__ else "an entity or an external reference"
        return [Problem(name, line, f"the SVG has {kind} ({error})", "remove the <!DOCTYPE …> and any entity; " + FIX)]
    except xml.sax.SAXParseException as error:
        where = f"column {error.getColumnNumber() + 1}: not well-formed XML: {error.getMessage()}"
        return [Problem(name, error.getLineNumber(), where, "fix the XML (a drawing program's plain-SVG export is)")]
    except RecursionError:
        return [Problem(name, 1, "elements nested too deeply", FIX)]
    return checker.problems


def check_built_svgs(site_dir: Path) -> list[Problem]:
    """Every SVG file of a built site, held to the same subset (names relative to the site folder)."""
    return [
        problem
        for path in sorted(site_dir.rglob("*.svg"))
        if path.is_file()
        for problem in check_svg(
            path.read_text(encoding="utf-8", errors="replace"), path.relative_to(site_dir).as_posix()
        )
    ]
