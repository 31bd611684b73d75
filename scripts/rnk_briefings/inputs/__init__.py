"""Inputs and their models: what the build reads (pages, `data/*.yml`, mkdocs.yml, `dist/`) and what it means.

Each module owns one input: the site's shape and page files (`site_model`), YAML reading with
lines and safe writing of author values (`data_files`), the notation of dates and numbers
(`notation`), the source registry, the figures ledger, the timeline, the glossary, the
footnote citations of a page, the revision histories, the site's published addresses
(`publication`) and the editions in `dist/` (`editions`).

A data module keeps its file's schema, its validation and the text it renders together
(`registry`, `ledger`, `timeline`, `glossary`, `citations`, `revisions`): splitting them would
scatter one rule, what a valid entry is and how it is written, over three stages. These modules
import only each other and the standard library, YAML and pymdown-extensions' slugify: never the
checks, the rendering or the publications.
"""
