"""PDFs made on the server from HTML, with WeasyPrint (docs/adr/0020-pdfs-on-the-server.md).

Any app hands ``pdf_from_html`` a page of HTML (usually a template that extends
``core/pdf_document.html``, which puts the protective marking, "Printed on ...
by ..." and "Page x of y" on every page) and gets the PDF's bytes: a feature's
download, and later a bundle of many records, whose bytes are then hashed.

Nothing is fetched from the network, ever: the only URLs WeasyPrint may load
are our own static files (``static/css/pdf.css``), read from disk by the
staticfiles finders. Anything else (another host, a data: URL, a file: URL, a
path outside STATIC_URL) is refused, and the document renders without it.
Links in the document are written as links and never followed.
"""

from __future__ import annotations

import functools
import mimetypes
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.utils.http import content_disposition_header

# The base of every relative URL in the document: links keep the service's paths, and a stylesheet under
# STATIC_URL is looked up here, on disk, by path. ".invalid" is a name that can never resolve (RFC 6761).
BASE_URL = "https://service.invalid/"
CONTENT_TYPE = "application/pdf"


class FetchRefused(ValueError):
    """The document asked for something that is not one of our static files."""


def static_path_of(url: str) -> str | None:
    """The path under STATIC_URL that ``url`` names on BASE_URL, or None if it names anything else."""
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not parts.path.startswith(static_prefix):
        return None
    path = unquote(parts.path.removeprefix(static_prefix))
    if not path or ".." in path.split("/"):
        return None
    return path


def static_file_for(url: str) -> str:
    """The file on disk of one of our static files named by ``url``; FetchRefused for anything else."""
    path = static_path_of(url)
    found = finders.find(path) if path else None
    if not found:
        raise FetchRefused(f"not one of the service's static files: {url[:100]}")
    return found


@functools.cache
def _weasyprint():
    """WeasyPrint, and a fetcher of our static files alone, on first use: the import loads Pango and takes
    seconds, which only the PDF views need to spend."""
    import pydyf
    import weasyprint
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    # Tagging (PDF/UA) names the page of each of a document's tens of thousands of tagged elements through
    # pydyf's page_references, which builds the list of every page anew at each call: the time grows with
    # elements times pages, some 15 s of a 800-page bundle. Built once for as many pages as there are
    # (ADR 21, "Consequences").
    pydyf.PDF.page_references = property(_page_references)

    class ServeOnlyStatic(URLFetcher):
        """Our own static files, read from disk; everything else refused, so nothing is fetched from a network."""

        def fetch(self, url, headers=None):
            found = static_file_for(url)
            mime_type, _ = mimetypes.guess_type(found)
            with open(found, "rb") as static_file:
                content = static_file.read()
            return URLFetcherResponse(url, content, {"Content-Type": mime_type or "application/octet-stream"})

    return weasyprint, ServeOnlyStatic


def _page_references(pdf) -> tuple[bytes, ...]:
    """pydyf.PDF.page_references ("12 0 R" for each page), kept until a page is added."""
    kids = pdf.pages["Kids"]
    kept = pdf.__dict__.get("_page_references_kept")
    if kept is None or kept[0] != len(kids):
        kept = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        pdf.__dict__["_page_references_kept"] = kept
    return kept[1]


def pdf_from_html(html: str) -> bytes:
    """The PDF of a page of HTML, laid out for A4 by its own stylesheet (static/css/pdf.css), tagged (PDF/UA)."""
    return pdf_and_pages(html)[0]


def pdf_and_pages(html: str) -> tuple[bytes, int]:
    """``pdf_from_html``, and how many pages the PDF has (a bundle says so where it is listed)."""
    weasyprint, fetcher = _weasyprint()
    source = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher(), media_type="print")
    # PDF/UA-1: tagged, with the document's language and title, so that a screen reader reads it in order.
    document = source.render(pdf_variant="pdf/ua-1")
    return document.write_pdf(pdf_variant="pdf/ua-1"), len(document.pages)


def pdf_attachment(pdf: bytes, *, filename: str) -> HttpResponse:
    """The PDF as a download. ``filename`` must hold no personal data (a record's kind and id, say)."""
    response = HttpResponse(pdf, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
