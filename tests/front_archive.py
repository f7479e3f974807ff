"""The search fixture archive, tied to municipalities, for the archive's own pages.

On top of ``search_archive.build_archive``: Västervik's source belongs to
Västerviks kommun (0883) and Ekby's to Kalmar kommun (0880), both in Kalmar
län; Strandvik names no organisation. Västervik was discovered on its own
site, has listed 3 release links (2 archived), ran fine; Ekby's last run
failed. The budget release of Ekby was edited twice (three versions).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from search_archive import BUDGET_EDITED, SOURCES, build_archive, fixture_releases

from scraper.store import Archive

ORGANISATIONS = {"vastervik": "0883", "ekby": "0880"}
#: The budget release's third version.
BUDGET_EDITED_AGAIN = BUDGET_EDITED.replace("räddningstjänst", "kollektivtrafik")


def build_front_archive(path: Path, *, today: date) -> dict[str, int]:
    ids = build_archive(path, today=today)
    archive = Archive(path)
    try:
        archive.sync_sources(
            [replace(s, organisation=ORGANISATIONS.get(s.id), verified=True) for s in SOURCES]
        )
        _, budget = fixture_releases(today)["budget"]
        again = (today - timedelta(days=1)).isoformat() + "T10:15:00Z"
        archive.save_release(
            replace(budget, body=BUDGET_EDITED_AGAIN),
            source="ekby",
            page_id=None,
            extractor_version="test",
            now=again,
        )
        ran = (today - timedelta(days=1)).isoformat() + "T03:00:00Z"
        archive.record_source_result("vastervik", error=None, now=ran)
        archive.record_source_result("ekby", error="HTTP 503 after 4 attempts", now=ran)
        with archive.transaction():
            archive.db["hints"].insert_all(
                [
                    {
                        "url": "https://www.vastervik.se/press/medborgarlofte/",
                        "source": "vastervik",
                    },
                    {
                        "url": "https://www.vastervik.se/press/nya-skolan-gamleby/",
                        "source": "vastervik",
                    },
                    {
                        "url": "https://www.vastervik.se/press/saknas/",
                        "source": "vastervik",
                        "title": "Ett som saknas",
                        "seen_at": ran,
                    },
                ]
            )
            archive.db["discoveries"].insert(
                {
                    "home": "https://www.vastervik.se/",
                    "organisation": "0883",
                    "name": "Västerviks kommun",
                    "final_home": "https://www.vastervik.se/",
                    "cms": "episerver",
                    "status": "press",
                    "source_url": "https://www.vastervik.se/press/",
                    "source_kind": "listing",
                    "discovered_at": ran,
                }
            )
    finally:
        archive.close()
    return ids
