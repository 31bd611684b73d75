"""The checks: every rule an author's change must pass, run as one step before anything is built.

`site.check_site` loads the inputs, expands the data blocks, and runs the content policy
(`content_policy`), the citations, the Japanese–English parity (`parity`) and the revision rules;
`links` adds the line and a fix to MkDocs' own link validation. The build hook, `make check`,
`scripts/docs.py check` and CI all call `check_site`. Checks import the inputs only.
"""
