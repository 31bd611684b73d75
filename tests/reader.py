"""What a reader does in the browser, shared by the web and offline browser tests."""

from __future__ import annotations

import re


def search(page, query: str) -> list[str]:
    """Type a query into Material's search box and return the result links."""
    page.click("input.md-search__input")
    page.fill("input.md-search__input", query)
    page.keyboard.press("End")  # fill() alone may not fire the key event Material listens for
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    return page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.href)")


def switch_language(page, name: str) -> None:
    """Open the language switcher and choose a language by its name (日本語, English)."""
    page.hover(".md-header .md-select")
    page.get_by_role("link", name=name).click()


def tooltip_text(page, selector: str) -> str:
    """Hover an element and return the text of the Material tooltip it opens."""
    page.locator(selector).first.hover()
    return page.wait_for_selector(".md-tooltip2--active .md-tooltip2__inner", timeout=10000).inner_text()


class Watch:
    """Every request outside what a page may load, every failed request or error response, every console error."""

    def __init__(self, page, allowed: str):
        self.blocked, self.failed, self.errors = [], [], []
        page.route(re.compile(rf"^(?!{allowed}).*"), self._block)
        # A load cut short by the next navigation (ERR_ABORTED) is not a failure; anything else is.
        page.on(
            "requestfailed",
            lambda request: (
                "ERR_ABORTED" not in (request.failure or "") and self.failed.append(f"{request.url} {request.failure}")
            ),
        )
        page.on(
            "response",
            lambda response: response.status >= 400 and self.failed.append(f"{response.status} {response.url}"),
        )
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _block(self, route):
        self.blocked.append(route.request.url)
        route.abort()

    def assert_clean(self):
        assert self.blocked == [], "no request outside the site"
        assert self.failed == []
        assert self.errors == []
