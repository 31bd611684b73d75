"""`make screenshots`: every page of the built site (site/) at a phone's and a desktop's width, both
languages, light, plus the dark scheme at both widths, written as PNGs to screenshots/ for a reviewer.

The tests measure; these are for people to look at (tests/test_reader.py checks what they show).
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from conftest import CHROMIUM_ARGS, _QuietHandler, chromium_path, free_port

WIDTHS = (390, 1366)


def main(site_dir: Path, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    port = free_port()
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    pages = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("index.html"))
    out.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            for scheme in ("light", "dark"):
                for width in WIDTHS:
                    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
                    tab = context.new_page()
                    for rel in pages if scheme == "light" else [p for p in pages if p.endswith("figures/index.html")]:
                        tab.goto(f"http://127.0.0.1:{port}/{rel}")
                        name = rel.removesuffix("index.html").strip("/").replace("/", "_") or "home"
                        tab.screenshot(path=str(out / f"{name}-{width}-{scheme}.png"), full_page=True)
                    context.close()
            browser.close()
    finally:
        server.shutdown()
    print(f"screenshots: {len(list(out.glob('*.png')))} files in {out}/")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
