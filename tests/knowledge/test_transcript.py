"""Chapter parsing, alignment, chunking and timestamp estimation of the bundled transcript."""

from __future__ import annotations

from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge import transcript as T


@pytest.fixture(scope="module")
def bg2() -> T.Transcript:
    text = (resources.files("knowledge") / "data" / "bg2-dylan-patel-ai-semiconductor-landscape.txt").read_text(
        encoding="utf-8"
    )
    return T.parse(text, anchors=T.BG2_ANCHORS)


def test_chapter_list_is_parsed(bg2):
    assert len(bg2.chapters) == 22
    assert (bg2.chapters[0].title, bg2.chapters[0].listed_s) == ("Intro", 0)
    assert (bg2.chapters[16].title, bg2.chapters[16].listed_s) == ("Evolving Memory Technology", 60 * 60 + 58)
    assert (bg2.chapters[-1].title, bg2.chapters[-1].listed_s) == ("Predictions for 2025 and 2026", 77 * 60 + 33)
    assert bg2.title.startswith("AI Semiconductor Landscape feat. Dylan Patel")
    assert bg2.body.lstrip().startswith("is scaling dead")


def test_every_anchor_is_found_in_order(bg2):
    starts = [c.start for c in bg2.chapters]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    for c in bg2.chapters[1:]:
        assert bg2.body.startswith(T.BG2_ANCHORS[c.title], c.start)


def test_chapter_starts_agree_with_one_steady_speech_rate(bg2):
    """The check against the chapter list: one constant rate predicts every listed start within 60 s."""
    residuals = [pred - listed for _, listed, pred in T.alignment_check(bg2)]
    assert max(abs(r) for r in residuals) < 60
    assert 2.8 < T.words_per_second(bg2.body, bg2.chapters) < 3.6  # conversational English, 170-215 wpm


def test_chunks_keep_chapter_and_time(bg2):
    chunks = T.chunks(bg2, "bg2")
    assert 100 < len(chunks) < 250
    for c in chunks:
        assert bg2.body[c.start : c.end] == c.text
        chapter = [ch for ch in bg2.chapters if ch.start <= c.start][-1]
        assert c.chapter == chapter.title
        assert c.end <= next((ch.start for ch in bg2.chapters if ch.start > c.start), len(bg2.body))
        assert chapter.listed_s <= c.seconds
    assert [c.seconds for c in chunks] == sorted(c.seconds for c in chunks)
    assert len({c.chunk_id for c in chunks}) == len(chunks)
    assert [c.chunk_id for c in T.chunks(bg2, "bg2")] == [c.chunk_id for c in chunks]  # stable ids


def test_chunk_at_a_chapter_start_gets_the_listed_time(bg2):
    chunks = {c.start: c for c in T.chunks(bg2, "bg2")}
    memory = next(ch for ch in bg2.chapters if ch.title == "Evolving Memory Technology")
    assert T.format_timestamp(chunks[memory.start].seconds) == "60:58"


def test_format_timestamp():
    assert T.format_timestamp(0) == "00:00"
    assert T.format_timestamp(3754.4) == "62:34"


def test_parse_estimates_chapter_starts_without_anchors():
    text = "My Show\n\nChapters\n\n0:00 Start\n0:30 Middle\n\nTranscript\n\n" + "Word after word here. " * 60
    tr = T.parse(text)
    assert [c.title for c in tr.chapters] == ["Start", "Middle"]
    assert tr.title == "My Show"
    assert 0 < tr.chapters[1].start < len(tr.body)


@given(st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=40))
def test_pack_covers_every_sentence_in_order(lengths):
    text = " ".join(" ".join(["w"] * n) + "." for n in lengths)
    spans = T.sentence_spans(text)
    packed = T.pack(text, spans, target=50, overlap=15)
    assert packed[0][0] == spans[0][0] and packed[-1][1] == spans[-1][1]
    for (a0, a1), (b0, b1) in zip(packed, packed[1:]):
        assert a0 < b0 and a1 < b1  # moves forward
        assert b0 <= a1 or not text[a1:b0].strip()  # overlaps or follows with no text skipped
    for s, e in spans:
        assert any(a <= s and e <= b for a, b in packed)
