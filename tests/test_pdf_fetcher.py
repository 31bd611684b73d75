"""The PDF build reads only the built site: no file of the build machine, no URL, no attachment gets into a PDF.

The issue's payloads (`<a rel="attachment" href=…>` to /proc/self/environ, /etc/hostname, a file: URL
and a local HTTP server) are put in a page of a project copy, which is built and made into PDFs as
`make pdf` does (in a process whose environment holds a secret); the PDFs are read with pypdf (every
page's /Annots, the document's /EmbeddedFiles) and every stream decompressed, and hold none of it.
Images, style url()s and data: URLs that the content policy would stop before a build are given to
WeasyPrint directly, as a book holding them: each is refused, and the local server is never contacted.
"""

from __future__ import annotations

import http.server
import os
import re
import subprocess
import sys
import threading
import uuid
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT, build, free_port, replace_once
from rnk_briefings.inputs.site_model import copy_project
from rnk_briefings.publications import pdf

SECRET = uuid.uuid4().hex


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        self.hits.append(self.path)
        body = f"<svg xmlns='http://www.w3.org/2000/svg'><text>{SECRET}</text></svg>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "image/svg+xml")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def server():
    """A local HTTP server that records every request (it must see none)."""
    _Recorder.hits = []
    instance = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _Recorder)
    thread = threading.Thread(target=instance.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{instance.server_address[1]}", _Recorder.hits
    instance.shutdown()


@pytest.fixture(scope="module")
def secret_file(tmp_path_factory) -> Path:
    """A file outside the site, as an SVG that WeasyPrint would embed if it read it."""
    path = tmp_path_factory.mktemp("outside") / "secret.svg"
    path.write_text(f"<svg xmlns='http://www.w3.org/2000/svg'><text>{SECRET}</text></svg>", encoding="utf-8")
    return path


def _streams(path: Path) -> bytes:
    """Every stream of a PDF, decompressed where it is compressed, and the file itself."""
    raw = path.read_bytes()
    parts = [raw]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", raw, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            parts.append(match.group(1))
    return b"\n".join(parts)


def _attachments(path: Path) -> list[str]:
    """File attachments of a PDF: annotations on any page, and the document's embedded files."""
    reader = PdfReader(path)
    found = [
        str(annotation.get_object().get("/Subtype"))
        for page in reader.pages
        for annotation in page.get("/Annots") or []
        if annotation.get_object().get("/Subtype") == "/FileAttachment"
    ]
    names = reader.trailer["/Root"].get("/Names")
    if names is not None and "/EmbeddedFiles" in names.get_object():
        found.append("/EmbeddedFiles")
    return found + list(reader.attachments)


@pytest.fixture(scope="module")
def hostile_pdfs(tmp_path_factory, server, secret_file) -> tuple[list[Path], subprocess.CompletedProcess]:
    """PDFs of a site whose page carries every attachment payload, made by `python -m …pdf` as make pdf does.

    The payloads go into the built HTML that the PDF step reads: the content policy and the
    sanitizer refuse them in a page's source (tests/test_policy.py), so this tests the fetcher on
    its own, as the last line of defence against whatever else could write such a link.
    """
    url, _ = server
    work = tmp_path_factory.mktemp("pdf-payloads")
    project = copy_project(ROOT, work / "project")
    payloads = "\n".join(
        f'<a rel="attachment" href="{href}">x{number}</a>'
        for number, href in enumerate(
            ["/proc/self/environ", "/etc/hostname", secret_file.as_uri(), str(secret_file), f"{url}/attached.svg"]
        )
    )
    built = build(project, work / "site")
    assert built.returncode == 0, built.stderr
    for page in ("method/index.html", "en/method/index.html"):
        replace_once(work / "site" / page, "</article>", f"<p>{payloads}</p></article>")
    env = {**os.environ, "RNK_SECRET": SECRET}
    result = subprocess.run(
        [sys.executable, "-m", "rnk_briefings.publications.pdf", str(work / "site"), str(work / "dist")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return sorted((work / "dist").glob("*.pdf")), result


def test_attachment_payloads_make_no_attachment(hostile_pdfs, server) -> None:
    pdfs, result = hostile_pdfs
    assert result.returncode == 0, result.stderr
    assert len(pdfs) == 2
    for path in pdfs:
        assert _attachments(path) == [], path
        content = _streams(path)
        assert SECRET.encode() not in content, f"{path} holds bytes from outside the site"
        assert b"RNK_SECRET" not in content and b"PATH=" not in content, f"{path} holds the environment"
        assert b"x3" in content or "x3" in "".join(p.extract_text() for p in PdfReader(path).pages)
    assert server[1] == [], "the PDF build contacted the local server"


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="{file_uri}" alt="">',
        '<img src="{file_path}" alt="">',
        '<img src="/etc/hostname" alt="">',
        '<img src="{url}/image.svg" alt="">',
        '<img src="data:image/svg+xml;utf8,<svg xmlns=\'http://www.w3.org/2000/svg\'/>" alt="">',
        '<p style="background: url({file_uri})">x</p>',
        "<p style=\"background-image: url('{url}/style.svg')\">x</p>",
        '<object data="{file_uri}" type="image/svg+xml"></object>',
        '<embed src="{url}/embed.svg" type="image/svg+xml">',
        '<svg xmlns="http://www.w3.org/2000/svg"><image href="{file_uri}" width="10" height="10"/></svg>',
        '<link rel="attachment" href="{file_uri}">',
        '<link rel="stylesheet" href="{url}/style.css">',
    ],
)
def test_book_reads_nothing_outside_the_site(tmp_path: Path, server, secret_file, markup: str) -> None:
    url, hits = server
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "assets/inside.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/>")
    element = markup.format(file_uri=secret_file.as_uri(), file_path=secret_file, url=url)
    book = f'<!doctype html><html><body><p>before</p>{element}<img src="assets/inside.svg" alt=""></body></html>'
    target = tmp_path / "book.pdf"
    refused = pdf.write_pdf(book, target, site)
    assert len(refused) == 1, refused
    assert hits == [], "the PDF build contacted the local server"
    assert SECRET.encode() not in _streams(target)
    assert _attachments(target) == []


def test_build_fails_naming_what_it_refused(tmp_path: Path, monkeypatch, secret_file) -> None:
    """`make pdf` stops with one message naming the refused address, and leaves no PDF."""
    monkeypatch.setattr(
        pdf, "book_html", lambda *args: f'<!doctype html><html><body><img src="{secret_file}" alt=""></body></html>'
    )
    with pytest.raises(SystemExit) as stopped:
        pdf.build_pdfs(tmp_path / "site", tmp_path / "dist", ROOT)
    assert str(secret_file) in str(stopped.value) and "outside the built site" in str(stopped.value)
    assert list((tmp_path / "dist").glob("*.pdf")) == []
