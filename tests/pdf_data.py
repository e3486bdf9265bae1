"""The PDFs the service makes (ADR 20), read as a reader reads them: each page's text, as pypdf extracts it,
and what every page must carry."""

from __future__ import annotations

import io
import re

from django.conf import settings
from django.utils import timezone
from pypdf import PdfReader


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page, white space collapsed to single spaces (lines wrap where the layout wraps them)."""
    assert content.startswith(b"%PDF-"), content[:40]
    reader = PdfReader(io.BytesIO(content))
    return [re.sub(r"\s+", " ", page.extract_text()).strip() for page in reader.pages]


def downloaded_pdf(response, *, filename: str) -> list[str]:
    """The pages of a PDF the service handed over as a download named ``filename``."""
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    return pdf_pages(response.content)


def assert_every_page_is_marked(pages: list[str], *, printed_by) -> None:
    """Each page carries the protective marking, who printed it and when, and "Page x of y"."""
    today = timezone.localtime()
    by = f"{re.escape(printed_by.full_name)}, {re.escape(settings.SERVICE_NAME)}"
    printed = re.compile(rf"Printed on {today.day} {today:%B %Y}, \d\d:\d\d by {by}")
    for number, page in enumerate(pages, start=1):
        assert settings.PROTECTIVE_MARKING in page, (number, page)
        assert printed.search(page), (number, page)
        assert f"Page {number} of {len(pages)}" in page, (number, page)
