"""Faster pages for the reader: changes to each built page's HTML that the theme offers no setting for.

- Material's templates indent every line; the indentation is a fifth of a page's bytes and means
  nothing to the browser, which collapses it into the line break before it. Text inside <pre>
  and <textarea>, where whitespace is shown as written, is left as it is.
- Material's script is a parser-blocking <script> at the end of the page. When it arrives early,
  the browser runs it (and the layout it forces) before it has painted the page, and the reader
  waits for the text. With `defer` it runs at the same point in the page's life (after parsing,
  before DOMContentLoaded, which is what it listens for) but lets the page paint first.
- Every page gets a Content-Security-Policy and a referrer policy as `<meta>` tags, first in its
  head (GitHub Pages sets no response headers). The policy allows scripts from the site itself
  and the theme's known inline scripts by their SHA-256 hashes, computed here from the page's
  final HTML; an inline script that `html_policy` does not know gets no hash, so the browser
  refuses it (and `scripts/docs.py verify-site` names it). The scripts are found by parsing the
  page as a browser does (lexbor), so the hashes are of the text the browser runs.
- The build chooses the policy, never the page: scripts/hooks.py passes the build's kind
  (`offline.enabled(config)`). The offline build's policy also lists, by its hash, the one inline
  script its worker shim writes into an iframe that inherits the page's policy
  (`offline.iframe_script`: the published shim writes the same script wherever the bundle is
  unzipped). Neither policy allows `'unsafe-inline'`.
- The referrer policy is `no-referrer`: the site needs no referrer for itself, and a source's
  site learns nothing of which briefing a reader followed the link from.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from .html_policy import JAVASCRIPT_TYPES, csp_hash, inline_scripts, is_known_script

VERBATIM = re.compile(r"(<(pre|textarea)\b.*?</\2>)", re.S | re.I)
# A line break and the indentation and empty lines after it: one line break.
INDENT_AND_BLANK_LINES = re.compile(r"\n[ \t\n]+")
THEME_SCRIPT = re.compile(r'<script src="([^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"></script>')


def strip_indentation(html: str) -> str:
    """Remove the whitespace at the start of each line and empty lines, except inside <pre> and <textarea>."""
    parts = VERBATIM.split(html)
    # split() yields text, then per match the whole element and its tag name.
    for index in range(0, len(parts), 3):
        parts[index] = INDENT_AND_BLANK_LINES.sub("\n", parts[index])
    return "".join(part for index, part in enumerate(parts) if index % 3 != 2)


def defer_theme_script(html: str) -> str:
    """Load Material's script with `defer`, so the page is painted before the script runs."""
    return THEME_SCRIPT.sub(r'<script defer src="\1"></script>', html, count=1)


CHARSET = '<meta charset="utf-8">'
# Everything else is refused by default-src 'none': no frames, fonts, media, objects or manifests.
# connect-src data: is the switcher's answer to Material's sitemap request (overrides/main.html).
POLICY = "default-src 'none'; script-src 'self' {scripts}; style-src 'self'; img-src 'self' data:; " + (
    "connect-src 'self' data:; base-uri 'none'; form-action 'none'"
)
REFERRER = '<meta name="referrer" content="no-referrer">'


def inline_script_hashes(html: str) -> list[str]:
    """The CSP hashes of the page's inline scripts that are the theme's known ones (others get none)."""
    scripts = inline_scripts(LexborHTMLParser(html, scripting=True))
    return list(
        dict.fromkeys(csp_hash(body) for kind, body in scripts if kind in JAVASCRIPT_TYPES and is_known_script(body))
    )


def content_security_policy(html: str, offline_script: str | None) -> str:
    """The page's policy: the known inline scripts by hash, and in the offline build the shim's iframe script.

    `offline_script`: None in the web build; in the offline build, the script its shim writes.
    """
    hashes = inline_script_hashes(html) + ([csp_hash(offline_script)] if offline_script is not None else [])
    return POLICY.format(scripts=" ".join(hashes))


def add_policies(html: str, offline_script: str | None) -> str:
    """The Content-Security-Policy and referrer `<meta>` tags, right after the charset, before anything loads."""
    tags = f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(html, offline_script)}">\n{REFERRER}'
    if CHARSET in html:
        return html.replace(CHARSET, f"{CHARSET}\n{tags}", 1)
    return re.sub(r"<head>", lambda m: f"<head>\n{tags}", html, count=1)


def deliver(html: str, offline_script: str | None) -> str:
    """Every change above, for one built page: of the web build (None), or of the offline build (its shim's script)."""
    return add_policies(defer_theme_script(strip_indentation(html)), offline_script)
