"""HTML to PDF with WeasyPrint: one document in this process, or a batch's parts on the machine's cores.

This module imports nothing of Django and reads no database: a batch's parts are laid out in child
processes that import only this module (`render_parallel`), given the HTML as plain strings.

- `render_pdf(html)`: one document (a household's card or file, in the request).
- `render_pages(htmls, progress)`: several documents laid out one after the other in this process and
  written as one PDF (one font subset for all their pages).
- `render_parallel(htmls, progress)`: each document laid out and written in a child process, then the
  PDFs joined in order (`join`). WeasyPrint's laid-out documents hold Pango objects and cannot be sent
  between processes, so each child writes its own PDF; each part embeds its own subset of the font,
  which makes the file larger by a subset (~0.3 MB for the cards) per part beyond the first.
"""

import io
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed


def _weasyprint():
    import weasyprint  # imported when a PDF is made: it loads Pango and fontconfig

    return weasyprint


def _no_fetch(url, *args, **kwargs):
    raise ValueError(f"documents fetch nothing: {url}")


def render_pdf(html: str) -> bytes:
    """One HTML document to PDF (no network: a document holds no external resource)."""
    return _weasyprint().HTML(string=html, url_fetcher=_no_fetch).write_pdf()


def render_pages(htmls, progress: Callable[[int], None] | None = None) -> bytes:
    """Several HTML documents laid out one by one and written as one PDF (their pages in order).
    `progress(i)` after the i-th document."""
    weasyprint = _weasyprint()
    documents = []
    for i, html in enumerate(htmls, 1):
        documents.append(weasyprint.HTML(string=html, url_fetcher=_no_fetch).render())
        if progress:
            progress(i)
    if not documents:
        return b""
    pages = [page for document in documents for page in document.pages]
    out = io.BytesIO()
    documents[0].copy(pages).write_pdf(out)
    return out.getvalue()


def cores() -> int:
    """The cores this process may run on (a container's limit, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def join(pdfs: Sequence[bytes]) -> bytes:
    """PDFs joined into one, their pages in order.

    pypdf (pure Python, maintained, already the usual tool for this) rather than poppler's
    `pdfunite`: no program to install on the servers besides Pango and the fonts, no temporary files,
    and it keeps each part's fonts and outlines as they are (the text reads back the same)."""
    import pypdf

    writer = pypdf.PdfWriter()
    for pdf in pdfs:
        writer.append(pypdf.PdfReader(io.BytesIO(pdf)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render_parallel(
    htmls: Sequence[str],
    progress: Callable[[int], None] | None = None,
    *,
    workers: int | None = None,
) -> bytes:
    """Each HTML document laid out and written to PDF in a child process, `workers` at a time (the
    machine's cores by default), then joined in order. `progress(i)` after each document, i counting
    the documents done so far (they finish in any order). One document, or one worker, stays in this
    process (`render_pages`): a child would only add its start-up."""
    workers = min(workers or cores(), len(htmls))
    if workers <= 1:
        return render_pages(htmls, progress)
    # Spawned, not forked: the caller (a job in the queue's consumer, a thread among others) holds open
    # database connections and locks that a forked child would inherit; a spawned child starts
    # clean and imports this module alone.
    context = multiprocessing.get_context("spawn")
    parts: list[bytes | None] = [None] * len(htmls)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {pool.submit(render_pdf, html): i for i, html in enumerate(htmls)}
        for done, future in enumerate(as_completed(futures), 1):
            parts[futures[future]] = future.result()
            if progress:
                progress(done)
    return join(parts)
