"""A small Swedish archive for the search and serving tests, written through the store.

``build_archive(path, today=...)`` returns the release ids by a short key.
Dates of the press invitation and of the change/removal events are relative
to ``today`` so the "last weeks" canned queries find them.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from scraper.records import Attachment, Image, Release, Source
from scraper.store import Archive

SEED = json.loads(
    (Path(__file__).resolve().parents[2] / "shared" / "seed" / "expected.json").read_text("utf-8")
    if (Path(__file__).resolve().parents[2] / "shared" / "seed" / "expected.json").is_file()
    else "{}"
)

SOURCES = (
    Source(id="vastervik", name="Västerviks kommun", url="https://www.vastervik.se/press/"),
    Source(id="ekby", name="Ekby kommun", url="https://www.ekby.se/nyheter/"),
    Source(id="strandvik", name="Strandviks kommun", url="https://strandvik.se/press/"),
)

SEED_BODY = SEED.get("body") or (
    "Under fredagsmorgonen undertecknade lokalpolisområdeschefen och kommunstyrelsens "
    "ordförande det dokument som kallas Medborgarlöfte Västerviks kommun för år 2020. "
    "Medborgarlöftet är en del av den samverkan som polisen och kommunen arbetar efter.\n\n"
    "- Vi får inte vara rädda för att peka ut problemen, säger ordföranden."
)


def _release(key: str, url: str, title: str, published: str, body: str, **extra: object) -> Release:
    fields: dict[str, object] = {
        "url": url,
        "canonical_url": url,
        "title": title,
        "kind": "Pressmeddelande",
        "published": published,
        "published_source": "meta",
        "updated": None,
        "updated_source": None,
        "lead": None,
        "body": body,
        "language": "sv",
    }
    fields.update(extra)
    return Release(**fields)  # type: ignore[arg-type]


def fixture_releases(today: date) -> dict[str, tuple[str, Release]]:
    """The releases by key: (source id, release)."""
    recent = (today - timedelta(days=5)).isoformat()
    return {
        "seed": (
            "vastervik",
            _release(
                "seed",
                "https://www.vastervik.se/press/medborgarlofte/",
                "Pressmeddelande: Västerviks kommun och Polisen i Västervik undertecknar "
                "Medborgarlöfte",
                "2020-02-28",
                SEED_BODY,
                images=(
                    Image(
                        url="https://www.vastervik.se/globalassets/medborgarlofte.jpg",
                        alt="foto av Anders Pleijel och Dan Nilsson undertecknar medborgarlöfte",
                        caption="Undertecknandet i kommunhuset",
                    ),
                ),
                attachments=(
                    Attachment(
                        url="https://www.vastervik.se/globalassets/medborgarlofte-2020.pdf",
                        title="Medborgarlöfte 2020 (pdf)",
                        mime_type="application/pdf",
                    ),
                ),
            ),
        ),
        "skolan": (
            "vastervik",
            _release(
                "skolan",
                "https://www.vastervik.se/press/nya-skolan-gamleby/",
                "Nya skolan i Gamleby står klar",
                "2024-08-12",
                "Efter två års byggande öppnar skolan i Gamleby för 400 elever.\n\n"
                "Byggnaden har solceller på taket och ett nytt kök.",
                lead="Den nya skolan i Gamleby tar emot sina första elever i augusti.",
            ),
        ),
        "skolor": (
            "ekby",
            _release(
                "skolor",
                "https://www.ekby.se/nyheter/snooveder/",
                "Snöoväder: kommunens verksamheter stänger tidigt",
                "2024-01-15",
                "Alla skolor och fritidshem i Ekby stänger klockan 13 på grund av "
                "snöovädret.\n\nBussarna går enligt ordinarie tidtabell till klockan 12.",
            ),
        ),
        "forskola": (
            "strandvik",
            _release(
                "forskola",
                "https://strandvik.se/press/ny-forskola/",
                "Ny förskola byggs vid Strandviks hamn",
                "2023-05-04",
                "Förskolan ska ha sex avdelningar och en stor gård mot vattnet.\n\n"
                "Bygget beräknas vara klart 2025.",
                kind="Nyhet",
            ),
        ),
        "far": (
            "vastervik",
            _release(
                "far",
                "https://www.vastervik.se/press/far-och-son-raddade/",
                "Far och son prisas för räddning vid Gränsö",
                "2023-07-02",
                "En far och hans son räddade två badande vid Gränsö i somras. Kommunen "
                "delar ut sin medalj för civilkurage till dem båda.",
            ),
        ),
        "frukt": (
            "ekby",
            _release(
                "frukt",
                "https://www.ekby.se/nyheter/frukt-i-sommar/",
                "Barnen i Ekby bjuds på frukt hela sommaren",
                "2024-06-01",
                "Alla barn som besöker kommunens parklekar i sommar får gratis frukt varje "
                "dag. Satsningen pågår till och med augusti och omfattar sex parklekar i "
                "Ekby, Norrby och Söderby. Frukten levereras av lokala odlare.",
            ),
        ),
        "invitation": (
            "strandvik",
            _release(
                "invitation",
                "https://strandvik.se/press/pressinbjudan-hamnen/",
                "Pressinbjudan: första spadtaget för den nya hamnpromenaden",
                recent,
                "Media är välkomna när kommunstyrelsens ordförande tar det första spadtaget "
                "för hamnpromenaden i Strandvik.",
                kind="Pressinbjudan",
            ),
        ),
        "old_invitation": (
            "ekby",
            _release(
                "old_invitation",
                "https://www.ekby.se/nyheter/pressinbjudan-bibliotek/",
                "Pressinbjudan: invigning av biblioteket",
                "2021-03-01",
                "Välkommen till invigningen av Ekbys nya bibliotek.",
                kind="Pressinbjudan",
            ),
        ),
        "budget": (
            "ekby",
            _release(
                "budget",
                "https://www.ekby.se/nyheter/budget-2025/",
                "Budgeten för 2025 är klar",
                "2024-11-20",
                "Kommunfullmäktige har antagit budgeten för 2025. Mest pengar går till "
                "äldreomsorg och skola.",
            ),
        ),
        "removed": (
            "strandvik",
            _release(
                "removed",
                "https://strandvik.se/press/vattenlacka/",
                "Vattenläcka på Storgatan",
                "2024-09-09",
                "En vattenläcka har upptäckts på Storgatan. Vattnet är avstängt under "
                "reparationen.",
                kind="Nyhet",
            ),
        ),
    }


#: The text of "budget" after the municipality edited it.
BUDGET_EDITED = (
    "Kommunfullmäktige har antagit budgeten för 2025. Mest pengar går till äldreomsorg, "
    "skola och räddningstjänst."
)


def build_archive(path: Path, *, today: date) -> dict[str, int]:
    """Write the fixture archive to ``path``; returns release ids by key."""
    ids: dict[str, int] = {}
    archive = Archive(path)
    try:
        archive.sync_sources(SOURCES)
        first = (today - timedelta(days=60)).isoformat() + "T08:00:00Z"
        for key, (source, release) in fixture_releases(today).items():
            release_id, _ = archive.save_release(
                release, source=source, page_id=None, extractor_version="test", now=first
            )
            ids[key] = release_id
        _, budget = fixture_releases(today)["budget"]
        changed = (today - timedelta(days=3)).isoformat() + "T09:30:00Z"
        archive.save_release(
            replace(budget, body=BUDGET_EDITED),
            source="ekby",
            page_id=None,
            extractor_version="test",
            now=changed,
        )
        _, removed = fixture_releases(today)["removed"]
        gone = (today - timedelta(days=2)).isoformat() + "T07:00:00Z"
        archive.mark_removed(removed.url, evidence="HTTP 404", now=gone)
    finally:
        archive.close()
    return ids
