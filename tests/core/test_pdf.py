"""PDFs made on the server (core/pdf.py, ADR 20): our static files are the only things fetched, never the network,
and the marking, who printed it and "Page x of y" are drawn on every page (rendered with poppler's pdftoppm)."""

import io
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import timezone
from pypdf import PdfReader

from core import pdf
from tests.pdf_data import pdf_pages

DOCUMENT = Template(
    '{% extends "core/pdf_document.html" %}{% block title %}A test{% endblock %}'
    "{% block content %}{{ extra|safe }}"
    '{% for n in paragraphs %}<p class="govuk-body">Paragraph {{ n }} of the record.</p>{% endfor %}'
    "{% endblock %}"
)


class Printer:
    full_name = "Priya Shah"


def document(*, marking="OFFICIAL-SENSITIVE", paragraphs=90, extra="") -> bytes:
    html = DOCUMENT.render(
        Context(
            {
                "protective_marking": marking,
                "service_name": settings.SERVICE_NAME,
                "user": Printer(),
                "printed_at": timezone.localtime(),
                "paragraphs": range(1, paragraphs + 1),
                "extra": extra,
            }
        )
    )
    return pdf.pdf_from_html(html)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/static/css/pdf.css",
        "http://service.invalid/static/css/pdf.css",
        "file:///etc/hostname",
        "data:text/css,body{color:red}",
        "https://service.invalid/static/../config/settings.py",
        "https://service.invalid/static/%2e%2e/config/settings.py",
        "https://service.invalid/decisions/",
        "https://service.invalid/static/css/no-such-file.css",
    ],
)
def test_anything_but_our_static_files_is_refused(url):
    with pytest.raises(pdf.FetchRefused):
        pdf.static_file_for(url)


def test_our_stylesheet_is_read_from_disk():
    found = pdf.static_file_for(pdf.BASE_URL + settings.STATIC_URL.strip("/") + "/css/pdf.css")
    assert Path(found).read_bytes() == (Path(settings.BASE_DIR) / "static" / "css" / "pdf.css").read_bytes()


def test_a_document_that_names_other_places_renders_without_touching_the_network(monkeypatch):
    attempts = []

    def no_network(*args, **kwargs):
        # WeasyPrint turns a failed fetch into a warning, so an attempt is noted as well as refused.
        attempts.append(args)
        raise OSError("a PDF tried to reach the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    extra = (
        '<link rel="stylesheet" href="https://example.com/evil.css">'
        '<img src="http://169.254.169.254/latest/meta-data" alt="">'
        '<img src="file:///etc/hostname" alt="">'
    )
    (page,) = pdf_pages(document(paragraphs=1, extra=extra))
    assert page.startswith("Paragraph 1 of the record. OFFICIAL-SENSITIVE Printed on")
    assert attempts == []


# Drawn on the page: pdftoppm (Debian's poppler-utils, installed by .ci/run) renders each page as a grey image.

PDFTOPPM = shutil.which("pdftoppm")
DPI = 40  # A4 is 331 x 468 pixels: enough to see where ink is, and quick
MM = DPI / 25.4


def pages_as_images(content: bytes, tmp_path: Path) -> list[list[bytes]]:
    """Each page's rows of grey pixels (0 black, 255 white); the test is skipped without pdftoppm (failed in CI)."""
    if PDFTOPPM is None:
        missing = "pdftoppm is missing: apt-get install poppler-utils"
        if os.environ.get("CI") == "true":
            pytest.fail(missing)
        pytest.skip(missing)
    source = tmp_path / "document.pdf"
    source.write_bytes(content)
    subprocess.run(  # noqa: S603 (poppler's tool, with our own arguments)
        [PDFTOPPM, "-r", str(DPI), "-gray", str(source), str(tmp_path / "page")], check=True, timeout=60
    )
    images = []
    for path in sorted(tmp_path.glob("page-*.pgm")):
        magic, width, height, _maximum, pixels = path.read_bytes().split(maxsplit=4)
        assert magic == b"P5"
        width, height = int(width), int(height)
        images.append([pixels[row * width : (row + 1) * width] for row in range(height)])
    return images


def has_ink(image, *, top_mm, bottom_mm, left_mm, right_mm) -> bool:
    rows = image[round(top_mm * MM) : round(bottom_mm * MM)]
    return any(min(row[round(left_mm * MM) : round(right_mm * MM)]) < 128 for row in rows)


def test_the_marking_printer_and_page_number_are_drawn_on_every_page(tmp_path):
    (tmp_path / "marked").mkdir()
    images = pages_as_images(document(), tmp_path / "marked")
    assert len(images) >= 2
    for image in images:
        assert has_ink(image, top_mm=0, bottom_mm=20, left_mm=60, right_mm=150)  # the marking, centred at the top
        assert has_ink(image, top_mm=272, bottom_mm=297, left_mm=10, right_mm=100)  # Printed on ... by ...
        assert has_ink(image, top_mm=272, bottom_mm=297, left_mm=170, right_mm=200)  # Page x of y
    # With no marking set, the top of the page is blank: the ink above was the marking.
    (tmp_path / "unmarked").mkdir()
    unmarked = pages_as_images(document(marking="", paragraphs=1), tmp_path / "unmarked")
    assert not has_ink(unmarked[0], top_mm=0, bottom_mm=20, left_mm=0, right_mm=210)


def test_the_pdf_is_tagged_with_its_language_and_title_for_screen_readers():
    reader = PdfReader(io.BytesIO(document(paragraphs=3)))
    catalogue = reader.trailer["/Root"]
    assert catalogue["/Lang"] == "en"
    assert "/StructTreeRoot" in catalogue
    assert catalogue["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == "A test"


def test_each_tagged_element_names_the_page_it_is_drawn_on():
    # A screen reader finds an element's words through its page and marked-content id (MCID): a wrong page reads
    # another page's words, or nothing.
    reader = PdfReader(io.BytesIO(document(paragraphs=150)))
    pages = [page.indirect_reference.idnum for page in reader.pages]
    assert len(pages) >= 4
    drawn = {number: page.get_contents().get_data() for number, page in zip(pages, reader.pages, strict=True)}
    named = []

    def walk(element):
        element = element.get_object()
        if "/Pg" in element:
            for kid in element.get("/K", []) if isinstance(element.get("/K"), list) else [element.get("/K")]:
                if isinstance(kid, int):
                    named.append((element.raw_get("/Pg").idnum, kid))
        kids = element.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            if not isinstance(kid, int) and hasattr(kid, "get_object") and isinstance(kid.get_object(), dict):
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert {page for page, _ in named} == set(pages)
    for page, mcid in named:
        assert f"/MCID {mcid}".encode() in drawn[page], (page, mcid)
