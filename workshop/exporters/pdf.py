"""The write-up as a paginated PDF: the HTML page printed by WeasyPrint (A4, page
numbers), in a worker thread so a large export never stalls the live session."""

from __future__ import annotations

import asyncio
import threading

from workshop.exporters.html import render_html
from workshop.exporters.registry import ExportFile, register, slug
from workshop.exporters.writeup import ExportOptions, WriteUp, build_writeup
from workshop.services.container import Services

# Printing is CPU- and memory-heavy: at most this many PDFs are made at once (the others
# wait in their worker threads, never on the event loop).
_PRINTERS = threading.BoundedSemaphore(2)


def html_to_pdf(html: str) -> bytes:
    """Blocking: run it in a thread (WeasyPrint is imported lazily, it is heavy)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # The document is self-contained: no protocol is allowed, nothing is ever fetched.
    offline = URLFetcher(allowed_protocols=())
    with _PRINTERS:
        pdf: bytes = HTML(string=html, url_fetcher=offline).write_pdf()
    return pdf


def writeup_pdf(writeup: WriteUp) -> bytes:
    """Blocking: the write-up rendered and printed (both in the caller's thread)."""
    return html_to_pdf(render_html(writeup))


@register("pdf", "PDF")
async def export_pdf(services: Services, workshop_id: str, options: ExportOptions
                     ) -> ExportFile:
    writeup = await build_writeup(services, workshop_id, options)
    content = await asyncio.to_thread(writeup_pdf, writeup)
    return ExportFile(f"{slug(writeup.workshop.title)}.pdf", "application/pdf", content)
