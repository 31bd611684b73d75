"""The rendering: Python-Markdown extensions that render every page (listed under `markdown_extensions:`).

Any generator that runs Python-Markdown (MkDocs, Zensical) renders the same site with them. They
take the checked site from `checks.site.check_site` (once per build, `site.py`) and the inputs'
models, and write Markdown or HTML; they never import the publications, which read what they render.
"""
