"""PDF, HTML and DOCX ingest: text with page/heading locators, searchable; broken files refused cleanly.

The files are built by the tests (fpdf2 for PDFs, pypdf to encrypt one, python-docx); the index is
real chromadb on disk with the hashing embedder (no semantics needed: the words are unique).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from knowledge import loaders
from knowledge.embeddings import HashingEmbedding
from knowledge.index import open_store
from knowledge.ingest import ingest, read_source
from knowledge.search import search
from tools.errors import InputError


def make_pdf(path: Path, pages: list[str], title: str | None = None) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    if title:
        pdf.set_title(title)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.set_font("helvetica", size=12)
            pdf.multi_cell(0, 10, text)
    pdf.output(str(path))
    return path


def make_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_heading("Desk memo on networking", 0)
    d.add_heading("Back-end fabric", 1)
    d.add_paragraph("Quillworth switches took the obsidian cluster contract this quarter.")
    d.add_heading("Optics", 2)
    d.add_paragraph("Transceiver lead times for the marzipan optics stretched to 40 weeks.")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Tickerfoo"
    table.cell(0, 1).text = "Tomahawk 5"
    d.save(str(path))
    return path


HTML = """<html><head><title>Sell-side note: memory</title><script>var tracking = "zanzibar";</script>
<style>.x{color:red}</style></head><body>
<nav>Home | Research | Login</nav>
<header>Broker banner</header>
<article><h1>Memory outlook</h1><p>HBM supply for the periwinkle accelerator stays <b>tight</b> through 2026.</p>
<h2>Pricing</h2><ul><li>DRAM contract prices for gooseberry modules rose 8% in the quarter.</li></ul></article>
<aside>Related: cookie policy</aside><footer>Copyright footer text</footer></body></html>"""


@pytest.fixture
def store(tmp_path: Path):
    return open_store(data_dir=tmp_path / "data", embedder=HashingEmbedding(), chroma_host="")


def test_pdf_pages_become_locators(tmp_path: Path) -> None:
    pdf = make_pdf(
        tmp_path / "acme.pdf",
        ["Revenue grew 12% to $4.2 billion.", "Capex on halibut data centers was $1.1 billion."],
        "Acme 10-K 2025",
    )
    title, text = loaders.load(pdf, pdf.read_bytes())
    assert title == "Acme 10-K 2025"
    assert "# p. 1\n\nRevenue grew 12% to $4.2 billion." in text
    assert "# p. 2\n\nCapex on halibut data centers was $1.1 billion." in text


def test_pdf_without_metadata_title_uses_file_name(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "q3-call.pdf", ["", "Only page two has words about tangerine margins."])
    title, text = loaders.load(pdf, pdf.read_bytes())
    assert title == "q3-call"
    assert "# p. 1" not in text and "# p. 2" in text  # a blank page has no locator, the next keeps its number


def test_html_main_text_without_chrome(tmp_path: Path) -> None:
    page = tmp_path / "note.html"
    page.write_text(HTML, encoding="utf-8")
    title, text = loaders.load(page, page.read_bytes())
    assert title == "Sell-side note: memory"
    assert "# Memory outlook" in text and "## Pricing" in text
    assert "HBM supply for the periwinkle accelerator stays tight through 2026." in text
    for chrome in ("zanzibar", "Login", "Broker banner", "cookie", "Copyright", "color:red"):
        assert chrome not in text


def test_docx_headings_and_tables(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "memo.docx")
    title, text = loaders.load(path, path.read_bytes())
    assert title == "Desk memo on networking"
    assert "# Back-end fabric\n\nQuillworth switches" in text
    assert "## Optics" in text
    assert "Tickerfoo | Tomahawk 5" in text


def test_a_line_starting_with_hash_is_not_a_heading(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "hash.pdf", ["# not a heading in the source document"])
    _, text = loaders.load(pdf, pdf.read_bytes())
    assert "\\# not a heading" in text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("blank.pdf", "no text layer"),
        ("locked.pdf", "encrypted PDF"),
        ("broken.pdf", "not a readable PDF"),
        ("broken.docx", "not a readable .docx"),
    ],
)
def test_unusable_files_name_the_file_and_the_reason(tmp_path: Path, name: str, expected: str) -> None:
    path = tmp_path / name
    if name == "blank.pdf":
        make_pdf(path, [""])
    elif name == "locked.pdf":
        from pypdf import PdfWriter

        plain = make_pdf(tmp_path / "plain.pdf", ["Secret plans for the walrus chip."])
        writer = PdfWriter(clone_from=str(plain))
        writer.encrypt("hunter2")
        writer.write(str(path))
    else:
        path.write_bytes(b"%PDF-1.4 this is not really a pdf" if name.endswith(".pdf") else b"PK not a zip")
    with pytest.raises(InputError) as err:
        read_source(path)
    assert err.value.field == "path"
    assert name in str(err.value) and expected in str(err.value)


def test_ingested_pdf_html_docx_are_searchable_with_locators(store, tmp_path: Path) -> None:
    pdf = make_pdf(
        tmp_path / "acme.pdf",
        ["Revenue grew 12% to $4.2 billion.", "Capex on halibut data centers was $1.1 billion."],
        "Acme 10-K 2025",
    )
    page = tmp_path / "note.html"
    page.write_text(HTML, encoding="utf-8")
    memo = make_docx(tmp_path / "memo.docx")
    results = ingest([pdf, page, memo], store)
    assert [r.status for r in results] == ["added"] * 3
    assert [r.title for r in results] == ["Acme 10-K 2025", "Sell-side note: memory", "Desk memo on networking"]

    hit = search("halibut data centers capex", k=1, store=store)[0]
    assert (hit.source, hit.chapter) == ("your note: acme.pdf", "p. 2")  # cited by file name, never its own title
    assert "halibut" in hit.text and hit.source_urls == [str(pdf.resolve())]
    hit = search("gooseberry modules DRAM contract prices", k=1, store=store)[0]
    assert (hit.source, hit.chapter) == ("your note: note.html", "Pricing")
    hit = search("marzipan optics lead times", k=1, store=store)[0]
    assert (hit.source, hit.chapter) == ("your note: memo.docx", "Optics")
    assert ingest([pdf], store)[0].status == "unchanged"


def test_rebuild_keeps_ingested_pdf(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = open_store(data_dir=data, embedder=HashingEmbedding(), chroma_host="")
    pdf = make_pdf(tmp_path / "acme.pdf", ["Capex on halibut data centers was $1.1 billion."], "Acme 10-K")
    ingest([pdf], first)
    again = open_store(data_dir=data, embedder=HashingEmbedding(), chroma_host="", rebuild=True)
    hit = search("halibut data centers", k=1, store=again)[0]
    assert (hit.source, hit.chapter, hit.source_kind) == ("your note: acme.pdf", "p. 1", "user file")


def _store_snapshot(data: Path) -> tuple[dict, list[str]]:
    manifest = data / "sources" / "manifest.json"
    kept = sorted(p.name for p in (data / "sources").glob("*")) if (data / "sources").exists() else []
    return (json.loads(manifest.read_text()) if manifest.exists() else {}), kept


def test_cli_refuses_an_encrypted_pdf_with_exit_2_and_leaves_the_store(tmp_path: Path, monkeypatch) -> None:
    from pypdf import PdfWriter

    from agent.cli.main import cli

    monkeypatch.setenv("SILICONOMICS_EMBEDDER", "hashing")
    data = tmp_path / "data"
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n\nThe kumquat cluster ships in May.\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(notes), "--data-dir", str(data)]).exit_code == 0
    before = _store_snapshot(data)

    plain = make_pdf(tmp_path / "plain.pdf", ["Secret plans for the walrus chip."])
    locked = tmp_path / "locked.pdf"
    writer = PdfWriter(clone_from=str(plain))
    writer.encrypt("hunter2")
    writer.write(str(locked))
    good = make_pdf(tmp_path / "good.pdf", ["The pomegranate fab opens in 2027."])
    result = runner.invoke(cli, ["ingest", str(good), str(locked), "--data-dir", str(data)])
    assert result.exit_code == 2
    assert "locked.pdf" in result.output and "encrypted" in result.output
    assert "Traceback" not in result.output
    assert _store_snapshot(data) == before  # the good file listed first was not added either
