"""SVG assets are held to the SVG subset, parsed as XML: before the build (content policy) and in the built site.

Each payload is one member of a class: script elements however prefixed, event handlers however
spaced, DTDs and entities, references outside the file in any attribute, style or <style>, elements
of other namespaces, processing instructions. The real site's SVG passes, and so does a drawing
that uses gradients and references within the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rnk_briefings.checks.content_policy import check
from rnk_briefings.checks.svg_assets import check_built_svgs, check_svg
from rnk_briefings.publications.html_policy import check_site_dir

NS = 'xmlns="http://www.w3.org/2000/svg"'
XLINK = 'xmlns:xlink="http://www.w3.org/1999/xlink"'
PAYLOADS = {
    "onload, = on the next line": (f"<svg {NS}\n  onload\n='alert(1)'>\n</svg>", 1, "attribute onload="),
    "prefixed script": (
        f'<svg {NS}>\n<s:script xmlns:s="http://www.w3.org/2000/svg">alert(1)</s:script></svg>',
        2,
        "<script> is not an element",
    ),
    "DTD entity": (
        f'<!DOCTYPE svg [<!ENTITY x "&#60;script&#62;alert(1)&#60;/script&#62;">]>\n<svg {NS}>&x;</svg>',
        1,
        "has a DOCTYPE",
    ),
    "billion laughs": (
        '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f"<svg {NS}><text>&b;</text></svg>",
        1,
        "has a DOCTYPE",
    ),
    "foreignObject": (
        f'<svg {NS}>\n<foreignObject><img xmlns="http://www.w3.org/1999/xhtml" src="x" onerror="alert(1)"/>'
        "</foreignObject></svg>",
        2,
        "<foreignObject> is not an element",
    ),
    "XHTML script": (
        f'<svg {NS}>\n<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script></svg>',
        2,
        "namespace http://www.w3.org/1999/xhtml",
    ),
    "javascript: href": (f"<svg {NS} {XLINK}>\n<a xlink:href='javascript:alert(1)'><text>x</text></a></svg>", 2, "<a>"),
    "gradient to another file": (
        f"<svg {NS} {XLINK}>\n<linearGradient id='g' xlink:href='https://evil.example/x.svg#g'/></svg>",
        2,
        "refers outside the file",
    ),
    "data: in href": (f"<svg {NS}>\n<linearGradient id='g' href='data:image/svg+xml,x'/></svg>", 2, "refers outside"),
    "url() in fill": (f"<svg {NS}>\n<rect fill='url(https://evil.example/p.svg#p)'/></svg>", 2, "url(https://"),
    "url() in style": (f"<svg {NS}>\n<rect style='fill: url(//evil.example/p#p)'/></svg>", 2, "url(//evil"),
    "CSS escape": (f"<svg {NS}>\n<rect style='fill: u\\72l(//evil.example/p#p)'/></svg>", 2, "holds '\\\\'"),
    "@import in <style>": (f"<svg {NS}><style>\n@import url(//evil.example/x.css);</style></svg>", 2, "@import"),
    "xml-stylesheet": (f'<?xml-stylesheet href="//evil.example/x.css"?>\n<svg {NS}/>', 1, "processing instruction"),
    "image": (f"<svg {NS}>\n<image href='/etc/hostname'/></svg>", 2, "<image> is not an element"),
    "animation": (f"<svg {NS}>\n<set attributeName='href' to='javascript:alert(1)'/></svg>", 2, "<set>"),
    "no namespace": ("<svg>\n<script>alert(1)</script></svg>", 1, "namespace none"),
    "not XML": (f"<svg {NS}>\n<rect></svg>", 2, "not well-formed XML"),
}


@pytest.mark.parametrize("case", list(PAYLOADS))
def test_svg_payloads_are_refused_at_their_line(case: str) -> None:
    text, line, expected = PAYLOADS[case]
    problems = [str(p) for p in check_svg(text, "docs/assets/x.svg")]
    assert any(p.startswith(f"docs/assets/x.svg:{line}:") and expected in p for p in problems), problems


def test_drawings_pass() -> None:
    drawing = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<svg {NS} {XLINK} viewBox="0 0 10 10" role="img" aria-label="map">'
        '<title>Map</title><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient>'
        '<linearGradient id="h" xlink:href="#g"/><clipPath id="c"><rect width="5" height="5"/></clipPath></defs>'
        '<style>.a { fill: url(#g); }</style><g clip-path="url(#c)"><path class="a" d="M0 0h5v5z" '
        'style="stroke: #000; stroke-width: 0.5"/><text x="1" y="9" xml:lang="ja">平壌</text></g></svg>'
    )
    assert check_svg(drawing, "x.svg") == []
    root = Path(__file__).resolve().parent.parent
    for path in (root / "docs/assets").glob("*.svg"):
        assert check_svg(path.read_text(encoding="utf-8"), path.name) == [], path


def test_content_policy_and_post_build_check_run_it(project: Path, tmp_path: Path) -> None:
    """The same subset before the build (docs/assets/) and after it (every SVG of a built site)."""
    text = PAYLOADS["onload, = on the next line"][0]
    (project / "docs/assets/map.svg").write_text(text, encoding="utf-8")
    assert any("map.svg:1:" in str(p) and "onload" in str(p) for p in check(project / "docs", project))
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "assets/map.svg").write_text(text, encoding="utf-8")
    assert [p.file for p in check_built_svgs(site)] == ["assets/map.svg"]
    (site / "index.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    assert any(p.file == "assets/map.svg" for p in check_site_dir(site))
