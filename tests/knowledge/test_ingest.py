"""siliconomics ingest: formats, content hashes, replacement, errors (hashing embedder)."""

from __future__ import annotations

import pytest

from knowledge.embeddings import HashingEmbedding
from knowledge.index import open_store
from knowledge.ingest import ingest, ingested
from knowledge.search import search
from tools.errors import InputError

NOTES = """# Trip notes

## Fab visit
The zirconium widget line in Dresden ramps in 2027, said the plant manager.

## Pricing
Quoted quartzite accelerator boards at 7,777 dollars each.
"""

VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
Welcome to the show about xylophone compute.

00:01:05.500 --> 00:01:09.000
<v Host>Today the xylophone cluster has 512 nodes.
"""

SRT = """1
00:00:02,000 --> 00:00:05,000
Opening remarks on the marmalade chip.

2
00:02:10,000 --> 00:02:14,000
The marmalade chip ships in volume next quarter.
"""


@pytest.fixture
def store(tmp_path):
    return open_store(data_dir=tmp_path / "data", embedder=HashingEmbedding(), chroma_host="")


def test_markdown_is_searchable_with_its_heading_as_chapter(store, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    [r] = ingest([notes], store)
    assert (r.status, r.title) == ("added", "Trip notes")
    top = search("zirconium widget Dresden", k=1, store=store)[0]
    assert "zirconium widget line in Dresden" in top.text
    assert (top.source, top.chapter) == ("your note: notes.md", "Fab visit")
    assert top.source_urls == [str(notes.resolve())]


def test_reingesting_an_unchanged_file_changes_nothing(store, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    ingest([notes], store)
    before = (store.collection.count(), [d.chunk_id for d in store.docs], ingested(store.data_dir))
    [r] = ingest([notes], store)
    assert r.status == "unchanged"
    assert (store.collection.count(), [d.chunk_id for d in store.docs], ingested(store.data_dir)) == before


def test_a_changed_file_replaces_its_old_chunks(store, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    ingest([notes], store)
    notes.write_text(NOTES.replace("zirconium", "tungsten"), encoding="utf-8")
    [r] = ingest([notes], store)
    assert r.status == "replaced"
    texts = [d.text for d in store.docs if d.origin == str(notes.resolve())]
    assert any("tungsten widget" in t for t in texts) and not any("zirconium" in t for t in texts)
    assert len(list((store.data_dir / "sources").glob("*.md"))) == 1  # old copy removed
    assert len(list((store.data_dir / "sources").glob("*.json"))) == 2  # its sidecar and the manifest


def test_subtitles_keep_their_timestamps(store, tmp_path):
    (tmp_path / "show.vtt").write_text(VTT, encoding="utf-8")
    (tmp_path / "talk.srt").write_text(SRT, encoding="utf-8")
    results = ingest([tmp_path / "show.vtt", tmp_path / "talk.srt"], store)
    assert [r.status for r in results] == ["added", "added"]
    vtt = search("xylophone", k=1, store=store)[0]
    assert vtt.source == "your transcript: show.vtt" and vtt.timestamp == "00:01" and "<v Host>" not in vtt.text
    assert "512 nodes" in vtt.text
    srt = search("marmalade chip", k=1, store=store)[0]
    assert srt.source == "your transcript: talk.srt" and srt.timestamp == "00:02"


def test_txt_with_chapter_list_gets_chapters_and_estimated_times(store, tmp_path):
    body = " ".join(f"Sentence number {i} is about quokka silicon." for i in range(200))
    text = f"Quokka Podcast\n\nChapters\n\n0:00 Hello\n1:30 Quokkas\n\nTranscript\n\n{body}\n"
    (tmp_path / "ep.txt").write_text(text, encoding="utf-8")
    [r] = ingest([tmp_path / "ep.txt"], store)
    assert r.title == "Quokka Podcast"
    docs = [d for d in store.docs if d.source == "your note: ep.txt"]
    assert {d.chapter for d in docs} == {"Hello", "Quokkas"}
    assert all(d.timestamp for d in docs)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "slides.pptx",
            b"PK\x03\x04",
            "unsupported type '.pptx'; allowed: .txt, .md, .vtt, .srt, .pdf, .html, .htm, .docx",
        ),
        ("missing.md", None, "is not a readable file"),
        ("latin1.txt", "caf\xe9".encode("latin-1"), "is not UTF-8 text"),
        ("empty.md", b"  \n", "is empty"),
    ],
)
def test_bad_files_are_refused_with_one_line(store, tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    good = tmp_path / "good.md"
    good.write_text(NOTES, encoding="utf-8")
    with pytest.raises(InputError) as err:
        ingest([good, path], store)
    assert err.value.field == "path" and message in str(err.value) and name in str(err.value)
    assert not ingested(store.data_dir)  # nothing added when one path is bad
