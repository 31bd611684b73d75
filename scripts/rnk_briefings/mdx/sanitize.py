"""Python-Markdown extension: every rendered page cleaned by the site's HTML allowlist, last.

After every other postprocessor (raw HTML put back, footnotes, glossary tooltips, localised
names), the page's HTML goes through `inputs.html_allowlist.sanitize` (Ammonia, by nh3): what the
allowlist does not name is removed, and `title` texts are escaped for the theme's tooltips. What
a browser then parses holds no script, handler, frame, form, style or foreign URL, whatever a page,
a data file or a renderer wrote.

A page that the sanitizer changes is a mistake of its author (or of a renderer): each change is
logged as an error naming the source file and, where the markup can be found in it, its line,
so `mkdocs build --strict` fails and `mkdocs serve` shows it; Zensical prints the errors but does
not count them, so `scripts/docs.py build-zensical` has them written to a file as well
(`REPORT_TO`) and fails. The page is published sanitized either way. Listed in mkdocs.yml, so
MkDocs and Zensical both run it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

from ..inputs import html_allowlist
from .context import page_context
from .site import track_page, whole_page

# After every other postprocessor: Python-Markdown's (raw HTML 30, footnotes 25, `&` 20) and the project's (11, 10).
PRIORITY = 0
# The file the errors are also written to, when this variable names one (scripts/docs.py build-zensical).
REPORT_TO = "RNK_SANITIZER_REPORT"
# Under MkDocs' logger, so that `mkdocs build --strict` counts the errors.
log = logging.getLogger("mkdocs.plugins.rnk_briefings.sanitize")


class SanitizePostprocessor(Postprocessor):
    """Clean the page by the allowlist; log what that changed, at the source file and line."""

    def run(self, text: str) -> str:
        if not whole_page(self.md):
            return text
        cleaned, found = html_allowlist.sanitize_and_review(text)
        if found:
            context = page_context(self.md)
            source = Path("docs", context.language, context.path) if context else None
            written = (context.root / source).read_text(encoding="utf-8") if context else ""
            messages = [
                f"{source or 'page'}:{html_allowlist.source_line(written, change)}: {change.describe()}. Fix: write "
                'only what CONTRIBUTING.md, "What raw HTML and assets may hold", lists (the page is published as '
                "the allowlist keeps it)"
                for change in found
            ]
            for message in messages:
                log.error(message)
            if report := os.environ.get(REPORT_TO):
                with open(report, "a", encoding="utf-8") as errors:
                    errors.write("".join(f"{message}\n" for message in messages))
        return cleaned


class SanitizeExtension(Extension):
    """Clean every page by the site's HTML allowlist."""

    def extendMarkdown(self, md: Markdown) -> None:
        track_page(md)
        md.postprocessors.register(SanitizePostprocessor(md), "rnk_sanitize", PRIORITY)


def makeExtension(**kwargs) -> SanitizeExtension:
    return SanitizeExtension(**kwargs)
