"""Hostile HTML through every build path: refused at its page and line, and inert where a reader would meet it.

Each payload is one member of a class that the line-by-line checks used to miss: a parser
differential (`<!-->`, attributes split by CR, LF or form feed, entities in URLs), a sink that
re-parses text (a title, which Material's tooltips copy into innerHTML), foreign content and
raw-text tricks (`<svg><script>`, `<math>` mXSS nesting, `<noscript>`, `<template>`), documents and
actions of their own (`srcdoc`, `formaction`). Every build path (`scripts/docs.py build`, `build
--offline`, `build-zensical`; `make pdf` builds its site with `build`, so the web guard covers it)
must refuse them; and a title payload that a non-strict build publishes (sanitized) runs nothing
when a reader hovers it, in the web and the offline build.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from conftest import ROOT, build
from reader import tooltip_text
from rnk_briefings.checks import content_policy
from rnk_briefings.inputs import html_allowlist
from rnk_briefings.inputs.site_model import copy_project
from rnk_briefings.publications import html_policy, page_delivery

# (payload appended to the page, what the refusal says). The handlers set window.__ran if they run.
RAW_HTML = [
    ("<!--><img src=x onerror\n=window.__ran=cmt>-->", '<img onerror="window.__ran=cmt" src="x">'),
    ('<p>a<img src="x"\x0conerror="window.__ran=ff"></p>', '<img onerror="window.__ran=ff" src="x">'),
    ("<svg><script>window.__ran=svg</script></svg>", "<script> is not allowed"),
    # As a browser that runs scripts reads it: the <img> after the first </noscript> is an element.
    ('<noscript><p title="</noscript><img src=x onerror=window.__ran=nos>"></noscript>', 'onerror="window.__ran=nos"'),
    ("<template><img src=x onerror=window.__ran=tpl></template>", "<template>"),
    ('<iframe srcdoc="&lt;script&gt;window.__ran=doc&lt;/script&gt;"></iframe>', "<iframe srcdoc="),
    ('<button formaction="javascript:window.__ran=act">b</button>', "<button formaction="),
    ('<a href="JaVaScRiPt&colon;window.__ran=url">a</a>', '<a href="JaVaScRiPt:window.__ran=url">'),
    ('<abbr title="&lt;img src=x onerror=window.__ran=ttl&gt;">t</abbr>', "the allowlist keeps <abbr title="),
    ('[x](method.md "<img src=x onerror\n=window.__ran=two>")', '<img onerror="window.__ran=two" src="x">'),
    ("<math><mtext><table><mglyph><style><img src=x onerror=window.__ran=math>", "<math> is not allowed"),
]
# Markdown that becomes a title holding markup only when rendered (`&lt;` is text to the source check):
# the renderer refuses it and escapes it.
LINK_TITLE = '[hover me](method.md "&lt;img src=x onerror=window.__ran=1&gt;")'


# `make build`, `make offline` and `make build-zensical` (`make pdf` builds its site as `make build` does).
BUILD_PATHS = [("build", "site"), ("build", "--offline", "site-offline"), ("build-zensical", "site-zensical")]


def _append(project: Path, text: str) -> dict[str, int]:
    """The same text at the end of method.md in both languages (parity holds); the line it starts on, per language."""
    lines = {}
    for lang in ("ja", "en"):
        path = project / "docs" / lang / "method.md"
        old = path.read_text(encoding="utf-8")
        path.write_text(old + "\n" + text + "\n", encoding="utf-8")
        lines[lang] = old.count("\n") + 2
    return lines


def _docs_py(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SITE_URL": "https://example.org/rnk/", "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "scripts/docs.py", *args]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, list[int]]:
    """A project copy with every payload in method.md (both languages), and the line of each."""
    project = copy_project(ROOT, tmp_path_factory.mktemp("hostile"))
    (project / "node_modules").symlink_to(ROOT / "node_modules")  # the offline build's shim
    lines = [
        _append(project, f"Paragraph {index}.\n\n{payload}\n")["en"] + 2 for index, (payload, _) in enumerate(RAW_HTML)
    ]
    return project, lines


@pytest.mark.parametrize("path", BUILD_PATHS, ids=["web", "offline", "zensical"])
def test_every_build_path_refuses_every_payload_at_its_line(hostile, path):
    project, lines = hostile
    result = _docs_py(project, *path)
    assert result.returncode != 0, result.stdout
    assert not (project / path[-1]).exists(), "a refused build publishes nothing"
    for (payload, message), line in zip(RAW_HTML, lines, strict=True):
        assert any(
            f"docs/en/method.md:{line}: raw HTML:" in entry and message in entry for entry in result.stderr.split("\n")
        ), (payload, line, result.stderr[-3000:])


@pytest.fixture(scope="module")
def entity_title(tmp_path_factory) -> tuple[Path, int]:
    """A project copy whose method.md holds the title payload written with entities, and its line."""
    project = copy_project(ROOT, tmp_path_factory.mktemp("entity-title"))
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    return project, _append(project, f"{LINK_TITLE}\n")["en"]


@pytest.mark.parametrize("path", BUILD_PATHS, ids=["web", "offline", "zensical"])
def test_every_build_path_refuses_a_title_made_of_markdown_at_its_line(entity_title, path):
    """A title written with entities is no raw HTML: the renderer finds it, names the line, and escapes it."""
    project, line = entity_title
    result = _docs_py(project, *path)
    assert result.returncode != 0
    assert not (project / path[-1]).exists(), "a refused build publishes nothing"
    expected = 'title="<img src=x onerror=window.__ran=1>"> is not allowed as written'
    assert any(f"docs/en/method.md:{line}: " in entry and expected in entry for entry in result.stderr.split("\n")), (
        result.stderr[-2000:]
    )


def test_post_build_problems_name_the_source_page_and_line(site, tmp_path):
    """Markup that got into a built page without the renderer is named at its source line (and the built file)."""
    docs = tmp_path / "docs"
    source = docs / "en" / "overview.md"
    source.parent.mkdir(parents=True)
    written = "---\ntitle: T\n---\n\nText.\n\n<img src=x onerror=window.__ran=1>\n\n<svg><script>x()</script></svg>\n"
    source.write_text(written, encoding="utf-8")
    built = tmp_path / "site" / "en" / "overview"
    built.mkdir(parents=True)
    article = '<article class="md-content__inner md-typeset">'
    html = site.html("en/overview/index.html").replace(
        article, article + "<img src=x onerror=window.__ran=1><svg><script>x()</script></svg>"
    )
    (built / "index.html").write_text(html, encoding="utf-8")
    problems = [str(p) for p in html_policy.check_site_dir(tmp_path / "site", docs)]
    assert any(p.startswith("docs/en/overview.md:7: onerror= on <img>") for p in problems), problems
    assert any(p.startswith("docs/en/overview.md:9: in the content area, <script>") for p in problems), problems
    assert all("(in the built en/overview/index.html)" in p for p in problems if p.startswith("docs/")), problems


def test_the_real_site_is_a_fixed_point_of_the_allowlist(site):
    """Nothing the site's own renderers and the theme put in a content area is changed by the sanitizer."""
    areas = 0
    for path in site.pages():
        for area in LexborHTMLParser(path.read_text(encoding="utf-8")).css(".md-content"):
            areas += 1
            assert html_allowlist.changes_in_node(area) == [], path
    assert areas == len(site.pages())


@pytest.fixture(scope="module")
def published_title(tmp_path_factory) -> dict[str, Path]:
    """The link-title payload in a non-strict web build and offline build (as `mkdocs serve` would publish it)."""
    project = copy_project(ROOT, tmp_path_factory.mktemp("title"))
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    _append(project, f"{LINK_TITLE}\n")
    sites = {}
    for kind, env in (("web", {}), ("offline", {"OFFLINE": "true"})):
        site_dir = project / f"site-{kind}"
        result = build(project, site_dir, strict=False, env=env)
        assert result.returncode == 0, result.stderr[-2000:]
        sites[kind] = site_dir
    return sites


@pytest.mark.browser
@pytest.mark.parametrize("kind", ["web", "offline"])
def test_hovering_a_title_payload_runs_nothing(published_title, served_site, page, kind):
    site_dir = published_title[kind]
    rel = "en/method/index.html" if kind == "web" else "en/method.html"
    html = (site_dir / rel).read_text(encoding="utf-8")
    assert 'title="&amp;lt;img src=x onerror=window.__ran=1&amp;gt;"' in html  # escaped for the innerHTML sink
    if kind == "web":  # served over HTTP, with the real site's theme files around it
        url = served_site.site_url + "en/method/"
        page.route(url, lambda route: route.fulfill(status=200, content_type="text/html", body=html))
        page.goto(url)
    else:  # opened from the folder, as a reader of the bundle does
        page.goto((site_dir / rel).as_uri())
    shown = tooltip_text(page, 'article a[title*="onerror"]')
    assert "<img src=x onerror=window.__ran=1>" in shown  # shown as text
    assert page.locator(".md-tooltip2 img").count() == 0  # no element made from it
    page.wait_for_timeout(300)
    assert page.evaluate("window.__ran") is None


def test_the_policy_is_the_builds_not_the_pages(site):
    """A page naming the offline shim (as the first review's payload did) gets the web policy of its build."""
    html = site.html("en/method/index.html")
    named = html.replace("</article>", '<p><code>src="assets/javascripts/iframe-worker-shim.js"</code></p></article>')
    web = page_delivery.content_security_policy(named, None)
    assert web == page_delivery.content_security_policy(html, None)
    assert "unsafe" not in web and "script-src 'self' 'sha256-" in web


def test_hostile_nesting_is_judged_in_bounded_time():
    """Thousands of open formatting elements or divs: one problem at its line, no recursion error, no quadratic diff."""
    started = time.monotonic()
    for text in ("<b>" * 3000 + "\n<img src=x onerror=y>", "<div>" * 5000 + "\n<img src=x onerror=y>"):
        problems = content_policy.check_page_text(text, "docs/en/x.md")
        assert [(p.line, "onerror" in p.message) for p in problems] == [(2, True)], problems
    assert time.monotonic() - started < 20  # about 2 s on this 2-core machine
