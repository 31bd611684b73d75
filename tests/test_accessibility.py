"""axe-core (WCAG 2.2 A and AA rules) on every page, both languages, light and dark, desktop and phone."""

from __future__ import annotations

import pytest

from conftest import ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
VIEWS = {
    "desktop-light": ({"width": 1280, "height": 900}, "light"),
    "desktop-dark": ({"width": 1280, "height": 900}, "dark"),
    "phone-light": ({"width": 390, "height": 844}, "light"),
    "phone-dark": ({"width": 390, "height": 844}, "dark"),
}


def _pages(site) -> list[str]:
    return [p.relative_to(site.root).as_posix().removesuffix("index.html") for p in site.pages()] + ["404.html"]


@pytest.mark.parametrize("view", VIEWS)
def test_no_axe_violations_on_any_page(served_site, browser, view):
    assert AXE.is_file(), "run `npm ci` (make test does)"
    viewport, scheme = VIEWS[view]
    # The policy would block the injected axe script: the CSP itself is tested in tests/test_csp.py.
    context = browser.new_context(
        viewport=viewport, color_scheme=scheme, is_mobile=view.startswith("phone"), bypass_csp=True
    )
    tab = context.new_page()
    found = {}
    for rel in _pages(served_site):
        tab.goto(served_site.site_url + rel)
        tab.add_script_tag(path=str(AXE))
        result = tab.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
        violations = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})" for v in result["violations"]
        ]
        if violations:
            found[rel or "index"] = violations
    context.close()
    assert found == {}
