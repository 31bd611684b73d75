"""The project's Python: the site's rules (registry, citations, parity, data), its checks and its tools.

`rnk_briefings.mdx` holds the Python-Markdown extensions that render every page, so any
generator that runs Python-Markdown (MkDocs, Zensical) renders the same site.
"""
