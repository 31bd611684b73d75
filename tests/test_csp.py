"""The Content-Security-Policy and referrer policy of the web build: present on every page, exact, and enforced.

The post-build check (html_policy) runs on the built site here, so `make test` runs it; the
browser tests load every page, use search, tooltips and the switcher, and see no violation; an
injected handler and an injected script are refused by the browser.
"""

from __future__ import annotations

import re

import pytest

from htmltools import tags
from reader import Watch, search, switch_language, tooltip_text
from rnk_briefings.publications import html_policy

VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


def allowed(site) -> str:
    """All a page of the web build may load: its own origin (and the data: and blob: it makes itself)."""
    origin = re.escape(site.site_url.split("/rnk/")[0])
    return f"{origin}/|data:|blob:|about:"


def violations(page) -> list[str]:
    return [v for frame in page.frames for v in (frame.evaluate("window.__csp || []") or [])]


def policy(html: str) -> dict[str, list[str]]:
    """The page's CSP as directive -> sources."""
    (meta,) = tags(html, "meta", http_equiv="Content-Security-Policy")
    return {part.split()[0]: part.split()[1:] for part in meta["content"].split(";") if part.strip()}


def test_the_built_site_passes_the_post_build_check(site):
    assert html_policy.check_site_dir(site.root) == []


def test_every_page_has_a_strict_policy_and_no_referrer(site):
    pages = site.pages() + [site.root / "404.html"]
    assert len(pages) > 20
    for path in pages:
        html = path.read_text(encoding="utf-8")
        rules = policy(html)
        assert rules["default-src"] == ["'none'"], path
        assert rules["base-uri"] == ["'none'"] and rules["form-action"] == ["'none'"], path
        assert rules["script-src"][0] == "'self'" and not any("unsafe" in s for s in rules["script-src"]), path
        scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
        assert scripts, path
        assert sorted(rules["script-src"][1:]) == sorted({html_policy.csp_hash(body) for body in scripts}), path
        assert [t for t in tags(html, "meta") if t.get("name") == "referrer"] == [
            {"name": "referrer", "content": "no-referrer"}
        ]
        # The policy comes before anything the page loads.
        head = html.split("</head>")[0]
        assert head.index("Content-Security-Policy") < min(head.index("<link"), head.index("<script"))


def test_post_build_check_refuses_what_the_policy_forbids(site):
    html = site.html("overview/index.html")
    assert html_policy.check_page(html, "overview/index.html") == []
    article = '<article class="md-content__inner md-typeset">'
    assert article in html
    cases = {
        "<script>alert(1)</script>": "not one of the theme's known scripts",
        '<img src="x.png" onerror="alert(1)">': "onerror= on <img>",
        '<img src="x.png"\ronerror="alert(1)">': "onerror= on <img>",
        '<img src="x.png"\x0conerror="alert(1)">': "onerror= on <img>",
        '<!--><img src="x.png" onerror\n="alert(1)">-->': "onerror= on <img>",
        '<a href=" JaVa\tScRiPt:alert(1)">x</a>': "a javascript: URL",
        '<a href="&#x6A;avascript&colon;alert(1)">x</a>': "a javascript: URL",
        '<img src="https://tracker.example/p.gif">': "loads from another host",
        '<img src="//tracker.example/p.gif">': "loads from another host",
        '<iframe src="video.html"></iframe>': 'in the content area, <iframe src="video.html"> is not allowed',
        '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>': "srcdoc= on <iframe>",
        '<p style="color:red">x</p>': 'in the content area, <p style="color:red"> is not allowed',
        '<abbr title="&lt;img src=x onerror=alert(1)&gt;">x</abbr>': "a title holding markup on <abbr>",
        "<svg><script>alert(1)</script></svg>": "in the content area, <script> is not allowed",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>": "in the content area, <math>",
        '<script type="text/x-template">x</script>': "<script type='text/x-template'>",
    }
    for injected, message in cases.items():
        problems = html_policy.check_page(html.replace(article, article + injected), "overview/index.html")
        assert any(message in p.message for p in problems), (injected, problems)
    no_policy = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    assert any("no Content-Security-Policy" in p.message for p in html_policy.check_page(no_policy, "x.html"))
    no_referrer = html.replace('<meta name="referrer" content="no-referrer">', "")
    assert any("no referrer policy" in p.message for p in html_policy.check_page(no_referrer, "x.html"))


@pytest.mark.browser
def test_every_page_loads_with_no_violation(served_site, page):
    page.add_init_script(VIOLATIONS)
    watch = Watch(page, allowed(served_site))
    rels = [p.relative_to(served_site.root).as_posix() for p in served_site.pages()]
    for rel in [*rels, "404.html"]:
        page.goto(served_site.site_url + rel.removesuffix("index.html"))
        page.wait_for_load_state("load")
        assert violations(page) == [], rel
    assert watch.errors == [], watch.errors
    watch.assert_clean()


@pytest.mark.browser
def test_search_tooltips_and_switcher_cause_no_violation(served_site, page):
    page.add_init_script(VIOLATIONS)
    watch = Watch(page, allowed(served_site))
    page.goto(served_site.site_url + "briefings/deployments/")
    assert search(page, "派兵")
    page.keyboard.press("Escape")
    assert tooltip_text(page, "sup a.footnote-ref")
    page.goto(served_site.site_url + "briefings/china/")
    if page.locator("article abbr[title]").count():
        assert tooltip_text(page, "article abbr[title]")
    switch_language(page, "English")
    page.wait_for_url(served_site.site_url + "en/briefings/china/")
    assert search(page, "troops")
    assert violations(page) == []
    watch.assert_clean()


@pytest.mark.browser
def test_injected_handler_and_script_are_blocked(served_site, page):
    """Markup that got past every check into a page still does not run: the browser refuses it."""
    page.add_init_script(VIOLATIONS)
    url = served_site.site_url + "overview/"
    html = served_site.html("overview/index.html")
    article = '<article class="md-content__inner md-typeset">'
    injected = html.replace(
        article,
        article + '<img src="../assets/favicon.svg" onload="window.__ran = \'handler\'">'
        "<script>window.__ran = 'script'</script>",
    )
    page.route(url, lambda route: route.fulfill(status=200, content_type="text/html", body=injected))
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_function("window.__csp.length >= 2")
    assert page.evaluate("window.__ran") is None
    found = violations(page)
    assert any(v.startswith("script-src-elem inline") for v in found), found
    assert any(v.startswith("script-src-attr inline") for v in found), found
    # The theme's own scripts still ran: the page is set up (search is there, the palette applied).
    assert page.evaluate("typeof __md_scope") == "object"
    assert page.locator(".md-search__input").is_visible()
