"""Clean text at the door: control characters out and lengths bounded in every stored field."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_store import URL, make_release

from scraper.records import Attachment, Image, Source
from scraper.store import Archive
from scraper.store.cleaning import FIELD_LIMITS, clean_text

#: What a hostile page put in its text: C0 controls, DEL, C1, a lone surrogate.
DIRT = "\x00\x01\x02\x08\x0b\x0c\x1b\x7f\x85\x9f\ud800"


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    archive = Archive(tmp_path / "archive.db")
    archive.sync_sources(
        [Source(id="exempel", name="Exempel kommun", url="https://www.exempel.se/")]
    )
    yield archive
    archive.close()


def test_clean_text_keeps_tab_and_newline_and_cuts_to_the_limit() -> None:
    assert clean_text(f"a{DIRT}b\tc\r\nd\re") == ("ab\tc\nd\ne", False)
    text, cut = clean_text("ord " * 300, 500)
    assert cut and len(text) <= 500 and text.endswith("…")


def test_every_stored_text_field_is_clean_and_bounded(archive: Archive) -> None:
    release = make_release(
        title="Rubrik" + DIRT + "x" * 100_000,
        kind="Press" + DIRT + "meddelande",
        lead="Ingress" + DIRT + "y" * 50_000,
        body="Brödtext" + DIRT + " slut.\n\nAndra\tstycket.",
        language="sv" + DIRT,
        images=(
            Image(url="https://www.exempel.se/b.jpg", alt="Alt" + DIRT * 500, caption="C" * 9_000),
        ),
        attachments=(
            Attachment(url="https://www.exempel.se/p.pdf", title="Bilaga" + DIRT + "z" * 2_000),
        ),
    )
    archive.save_release(
        release, source="exempel", page_id=None, extractor_version="t", now="2026-12-06T10:00:00Z"
    )
    row = archive.release_for_url(URL)
    assert row is not None
    assert row["title"].startswith("Rubrikxxx") and len(row["title"]) <= FIELD_LIMITS["title"]
    assert row["kind"] == "Pressmeddelande"
    assert row["lead"].startswith("Ingressyyy") and len(row["lead"]) <= FIELD_LIMITS["lead"]
    assert row["body"] == "Brödtext slut.\n\nAndra\tstycket."
    assert row["language"] == "sv"
    alt, caption = archive.db.execute("SELECT alt, caption FROM images").fetchone()
    assert alt == "Alt" and len(caption) <= FIELD_LIMITS["image.caption"]
    (title,) = archive.db.execute("SELECT title FROM attachments").fetchone()
    assert title.startswith("Bilagazzz") and len(title) <= FIELD_LIMITS["attachment.title"]
    # The cut is recorded with the release, field by field.
    assert set(row["cut"].split(",")) == {"title", "lead", "image.caption", "attachment.title"}
    # The search index holds the clean text too.
    stems = archive.db.execute("SELECT stems FROM release_stems").fetchone()[0]
    assert not any(ch in stems for ch in DIRT)


def test_a_release_within_the_limits_records_no_cut(archive: Archive) -> None:
    archive.save_release(
        make_release(), source="exempel", page_id=None, extractor_version="t", now="2026-12-06"
    )
    row = archive.release_for_url(URL)
    assert row is not None and row["cut"] is None and row["title"] == "Ny skola byggs i Gamleby"
