"""Python-Markdown extensions that render the site's pages (listed under `markdown_extensions:`)."""
