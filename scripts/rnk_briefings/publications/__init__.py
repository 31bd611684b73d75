"""The publications: what is made from the built pages, and the post-build check every build path runs.

The post-build check (`html_policy`), page delivery and its Content-Security-Policy
(`page_delivery`), search per language (`language_search`), the feeds, data downloads and BibTeX
(`outputs`), the PDF edition (`pdf`) and the offline bundle (`offline`). They read the built site,
the checked site and the inputs; nothing below imports them.
"""
