"""The project's Python: the briefings' pipeline, one folder per stage, each importing only the stages below it.

    inputs/        the pages, data files and editions as the build reads them, and their models
    checks/        every rule on the inputs, as one call (`checks.site.check_site`)
    mdx/           the rendering: Python-Markdown extensions that MkDocs and Zensical both run
    publications/  everything made from the built pages: the post-build check, page delivery and
                   CSP, per-language search, feeds and downloads, the PDF edition, the offline bundle

The layers are a contract (`[tool.importlinter]` in pyproject.toml, run by `make lint`):
publications → mdx → checks → inputs, never upwards, and no import cycles. The generators'
glue stays outside the package: `scripts/hooks.py` wires MkDocs and Material to these stages,
`scripts/docs.py` is the command line.
"""
