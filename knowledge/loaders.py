"""The analyst's own documents as text with citation locators: PDF, HTML saved from a browser, DOCX.

Each loader turns a file's bytes into (title, Markdown text) where every locator is a heading
line, so the Markdown chunker of :mod:`knowledge.ingest` makes it the chapter of the chunks
under it and the citation shows it:

* **PDF** (pypdf, text layer only): one ``# p. N`` heading per page with text (N counts from 1
  as a PDF viewer does). Title: the document's metadata title, else the file name.
* **HTML** (BeautifulSoup, ``html.parser``): the main text (``<article>`` or ``<main>`` when the
  page has one, else ``<body>``) without scripts, styles, navigation, headers, footers, asides
  or forms; ``<h1>``-``<h6>`` become headings, paragraphs, list items, table rows, quotes and
  preformatted blocks become paragraphs. Title: ``<title>``, else the first heading.
* **DOCX** (python-docx): paragraphs styled ``Heading N`` (or ``Title``) become headings, other
  paragraphs and table rows become paragraphs. Title: the core property, else the ``Title``
  paragraph, else the file name.

A file that cannot give text raises :class:`InputError` naming the file and why: an encrypted
PDF (no empty user password), a PDF with no text layer (scanned or image-only) or no pages,
a file that is not a valid PDF/DOCX, or a page with no text at all.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from tools.errors import InputError

#: File types read by this module (the others, .txt .md .vtt .srt, are UTF-8 text read by ingest).
SUFFIXES = (".pdf", ".html", ".htm", ".docx")

_BLANKS = re.compile(r"[ \t\u00a0]+")
_HEADING_START = re.compile(r"^(\s*)#", re.MULTILINE)
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg", "template", "iframe")
_BLOCK_TAGS = ("p", "li", "tr", "blockquote", "pre", "dd", "dt", "figcaption", "caption")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _clean(text: str) -> str:
    """Blanks collapsed, lines stripped, and a line that starts with '#' shifted so it is not a heading."""
    lines = [_BLANKS.sub(" ", ln).strip() for ln in text.replace("\r", "\n").split("\n")]
    return _HEADING_START.sub(r"\1\\#", "\n".join(lines)).strip()


def _no_text(path: Path, what: str) -> InputError:
    return InputError("path", f"{str(path)!r} {what}; nothing was added.")


def markdown(path: Path, data: bytes) -> str:
    """The file as Markdown for the ingest chunker: ``# <title>`` first, then :func:`load`'s text."""
    title, text = load(path, data)
    return f"# {_BLANKS.sub(' ', title.replace(chr(10), ' ')).strip()}\n\n{text}"


def load(path: Path, data: bytes) -> tuple[str, str]:
    """(title, Markdown text with locator headings) of a .pdf/.html/.htm/.docx file's ``data``."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        title, text = pdf_text(path, data)
    elif suffix in (".html", ".htm"):
        title, text = html_text(path, data)
    elif suffix == ".docx":
        title, text = docx_text(path, data)
    else:
        raise InputError(
            "path", f"{str(path)!r}: no loader for {suffix or '(none)'!r}; allowed: {', '.join(SUFFIXES)}."
        )
    if not re.sub(r"^#.*$", "", text, flags=re.MULTILINE).strip():
        raise _no_text(path, "has no text")
    return title, text


def pdf_text(path: Path, data: bytes) -> tuple[str, str]:
    """Title and ``# p. N`` sections of a PDF's text layer."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files are reported once, by the error below
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _no_text(path, "is an encrypted PDF (password-protected); save an unprotected copy and ingest that")
        pages = [(n, _clean(page.extract_text() or "")) for n, page in enumerate(reader.pages, start=1)]
        meta_title = (reader.metadata.title if reader.metadata else None) or ""
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise _no_text(path, f"is not a readable PDF ({type(exc).__name__}: {exc})") from exc
    except Exception as exc:  # pypdf raises many kinds on damaged files; all mean the same
        if type(exc).__name__ in ("FileNotDecryptedError", "DependencyError"):
            raise _no_text(
                path, "is an encrypted PDF (password-protected); save an unprotected copy and ingest that"
            ) from exc
        raise _no_text(path, f"is not a readable PDF ({type(exc).__name__}: {exc})") from exc
    if not pages:
        raise _no_text(path, "is a PDF with no pages")
    kept = [(n, t) for n, t in pages if t]
    if not kept:
        raise _no_text(
            path, f"is a PDF with no text layer ({len(pages)} page(s) of images or blank; scanned? run OCR first)"
        )
    return str(meta_title).strip() or path.stem, "\n\n".join(f"# p. {n}\n\n{t}" for n, t in kept)


def html_text(path: Path, data: bytes) -> tuple[str, str]:
    """Title and the main text of an HTML page, headings kept as Markdown headings."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    parts: list[str] = []
    for el in root.find_all([*_HEADINGS, *_BLOCK_TAGS]):
        if el.name in _BLOCK_TAGS and el.find_parent(_BLOCK_TAGS):
            continue  # the enclosing block already holds this text
        sep = " | " if el.name == "tr" else " "
        text = _clean(el.get_text(sep, strip=True))
        if not text:
            continue
        parts.append(f"{'#' * int(el.name[1])} {text}" if el.name in _HEADINGS else text)
    if not parts:  # a page of bare text without block tags
        parts = [_clean(root.get_text("\n", strip=True))]
    first_heading = next((p.lstrip("# ") for p in parts if p.startswith("#")), "")
    return title or first_heading or path.stem, "\n\n".join(p for p in parts if p)


def docx_text(path: Path, data: bytes) -> tuple[str, str]:
    """Title and text of a Word document, ``Heading N`` paragraphs as Markdown headings."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, ValueError, KeyError, OSError) as exc:
        raise _no_text(path, f"is not a readable .docx file ({type(exc).__name__})") from exc
    except Exception as exc:  # a damaged zip raises zipfile.BadZipFile and others
        raise _no_text(path, f"is not a readable .docx file ({type(exc).__name__})") from exc
    parts: list[str] = []
    title = (document.core_properties.title or "").strip()
    for block in _docx_blocks(document):
        parts.append(block)
        if not title and block.startswith("# "):
            title = block[2:]
    return title or path.stem, "\n\n".join(parts)


def _docx_blocks(document: Any) -> list[str]:
    """Paragraphs (headings as Markdown) and table rows of ``document`` in body order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = _clean(item.text)
            style = (item.style.name if item.style is not None else "") or ""
            level = _heading_level(style)
            if text:
                out.append(f"{'#' * level} {text}" if level else text)
        elif isinstance(item, Table):
            for row in item.rows:
                cells = [_clean(c.text) for c in row.cells]
                line = " | ".join(dict.fromkeys(c for c in cells if c))
                if line:
                    out.append(line)
    return out


def _heading_level(style: str) -> int:
    """1-6 for 'Title' / 'Heading N' styles, 0 for any other paragraph style."""
    if style == "Title":
        return 1
    m = re.fullmatch(r"Heading (\d)", style)
    return min(int(m.group(1)), 6) if m else 0
