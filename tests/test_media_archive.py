"""Images and attachments archived with their release (scraper.update.media, scraper.store.media)
and served from the archive (scraper.serve.archived)."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import httpx
import pytest
from conftest import SITES

from scraper.records import Config, Settings, Source
from scraper.serve.app import make_datasette
from scraper.store import Archive
from scraper.update.crawl import update
from scraper.update.media import media_refusal, sniff_type

SITE = "https://www.ekas.se"
#: A real (1 x 1) JPEG from the fixture sites: browsers must be able to show it.
JPEG = (SITES / "ekeby" / "public" / "bilder" / "nyheter" / "2014" / "valsedlar.jpg").read_bytes()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"x" * 3000 + b"\n%%EOF\n"
HUGE = b"\xff\xd8\xff\xe0" + b"\x00" * 5000
#: Over the 2 MiB a serving connection may read as one value: stored and served in pieces.
REPORT = b"%PDF-1.4\n" + bytes(range(256)) * 10_000 + b"\n%%EOF\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
BODY = (
    "<p>Kommunfullmäktige beslutade på måndagen att bygga en ny förskola i centrala Ekås. "
    "Bygget startar under hösten och förskolan ska stå klar till sommaren 2026.</p>"
    "<p>– Vi är glada att kunna erbjuda fler platser, säger barn- och utbildningschefen "
    "Anna Berg. Efterfrågan har ökat stadigt under de senaste åren.</p>"
)


#: What a raw page must not run or load when the archive shows it.
HOSTILE_HEAD = (
    '<script src="https://cdn.example.com/track.js"></script>'
    '<link rel="stylesheet" href="https://cdn.example.com/site.css">'
    '<meta http-equiv="refresh" content="5;url=https://evil.example/">'
)
HOSTILE_FOOTER = (
    "<script>document.write('skript')</script>"
    '<iframe src="https://www.youtube.com/embed/abc"></iframe>'
    '<img src="https://tracker.example.com/t.gif" onload="alert(1)" width="1">'
    '<a href="javascript:alert(1)">Klicka</a>'
)


def release(title: str, date: str, media: str) -> bytes:
    return (
        f'<html lang="sv"><head><title>{title} - Ekås kommun</title>{HOSTILE_HEAD}</head><body>'
        '<header><a href="/">Ekås kommun</a></header><main><article>'
        f'<h1>{title}</h1><p class="date">Publicerad <time datetime="{date}">{date}</time></p>'
        f"{BODY}{media}</article></main><footer>Ekås kommun, 123 45 Ekås{HOSTILE_FOOTER}</footer>"
        "</body></html>"
    ).encode()


def figure(src: str, alt: str) -> str:
    return (
        f'<figure><img src="{src}" alt="{alt}" width="600"><figcaption>{alt}</figcaption></figure>'
    )


FIRST = release(
    "Ny förskola i Ekås",
    "2026-11-30",
    figure("/bilder/forskola.jpg", "Förskolan från gatan")
    + figure("https://tracker.example.com/annans-bild.jpg", "Bild hos någon annan")
    + figure("/bilder/stor.jpg", "En för stor bild")
    + figure("/bilder/borta.jpg", "En bild som inte finns")
    + figure("/bilder/sida.jpg", "En bild som är en sida")
    + figure("/bilder/ritning.png", "Ritning")
    + '<p><a href="/dok/beslut.pdf">Beslutet (pdf)</a></p>',
)
SECOND = release(
    "Förskolan invigd",
    "2026-12-02",
    figure("/bilder/forskola.jpg", "Förskolan från gatan")
    + figure("/privat/hemlig.jpg", "Bild som robots.txt förbjuder")
    + '<p><a href="/dok/skiss.svg.pdf">Skissen</a></p>'
    + '<p><a href="/dok/rapport.pdf">Rapporten</a></p>',
)
LISTING = (
    '<html lang="sv"><body><main><h1>Nyheter</h1><ul>'
    '<li class="news-item"><a href="/nyheter/invigd.html">Förskolan invigd</a> '
    '<time datetime="2026-12-02">2026-12-02</time></li>'
    '<li class="news-item"><a href="/nyheter/forskola.html">Ny förskola i Ekås</a> '
    '<time datetime="2026-11-30">2026-11-30</time></li>'
    '<li class="news-item"><a href="/nyheter/tom.html">Ett tredje pressmeddelande</a> '
    '<time datetime="2026-11-28">2026-11-28</time></li>'
    "</ul></main></body></html>"
).encode()
THIRD = release("Ett tredje pressmeddelande", "2026-11-28", "")

PAGES: dict[str, tuple[int, str, bytes]] = {
    "/robots.txt": (200, "text/plain", b"User-agent: *\nDisallow: /privat/\n"),
    "/nyheter/": (200, "text/html; charset=utf-8", LISTING),
    "/nyheter/forskola.html": (200, "text/html; charset=utf-8", FIRST),
    "/nyheter/invigd.html": (200, "text/html; charset=utf-8", SECOND),
    "/nyheter/tom.html": (200, "text/html; charset=utf-8", THIRD),
    "/bilder/forskola.jpg": (200, "application/octet-stream", JPEG),  # a wrong type, sniffed
    "/bilder/stor.jpg": (200, "image/jpeg", HUGE),
    "/bilder/sida.jpg": (200, "text/html", b"<!doctype html><html><body>Logga in</body></html>"),
    "/bilder/ritning.png": (200, "image/png", PNG),
    "/dok/beslut.pdf": (200, "application/pdf", PDF),
    "/dok/skiss.svg.pdf": (200, "image/svg+xml", SVG),
    "/dok/rapport.pdf": (200, "application/pdf", REPORT),
    "/privat/hemlig.jpg": (200, "image/jpeg", JPEG),
}


class Site:
    """The mini site as an httpx.MockTransport, counting requests per path."""

    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()
        self.transport = httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests[f"{request.url.host}{request.url.path}"] += 1
        if request.url.host != "www.ekas.se" or request.url.path not in PAGES:
            return httpx.Response(404, text="not found")
        status, kind, content = PAGES[request.url.path]
        return httpx.Response(status, headers={"content-type": kind}, content=content)


def crawl(db: Path, site: Site, **settings: object) -> None:
    source = Source(id="ekas", name="Ekås kommun", url=f"{SITE}/nyheter/", delay=0.0)
    config = Config(
        path="<test>",
        settings=Settings(delay=0.0, retries=1, media_max_bytes=2000, **settings),  # type: ignore[arg-type]
        sources=(source,),
    )
    with Archive(db) as archive:
        assert update(config, archive, transport=site.transport).ok


def outcomes(db: Path) -> dict[str, tuple[str, str | None]]:
    with Archive(db) as archive:
        rows = archive.db.execute(
            "SELECT l.url, l.status, l.sha256 FROM release_media l ORDER BY l.url"
        ).fetchall()
    return {url.removeprefix(SITE): (status, sha) for url, status, sha in rows}


@pytest.fixture
def archived(tmp_path: Path) -> tuple[Path, Site]:
    site = Site()
    db = tmp_path / "a.db"
    crawl(db, site)
    return db, site


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def test_files_are_archived_once_by_content_within_their_caps(archived) -> None:
    db, site = archived
    got = outcomes(db)
    assert {url: status for url, (status, _) in got.items()} == {
        "/bilder/borta.jpg": "failed",
        "/bilder/forskola.jpg": "archived",
        "/bilder/ritning.png": "archived",
        "/bilder/sida.jpg": "refused",
        "/bilder/stor.jpg": "too large",
        "/dok/beslut.pdf": "archived",  # over the image cap, under the attachment cap
        "/dok/skiss.svg.pdf": "archived",
        "/dok/rapport.pdf": "archived",
        "/privat/hemlig.jpg": "refused",
        "https://tracker.example.com/annans-bild.jpg": "refused",
    }
    assert got["/bilder/forskola.jpg"][1] == sha(JPEG)
    with Archive(db) as archive:
        stored = {
            row[0]: (row[1], row[2], archive.media_content(row[0]))
            for row in archive.db.execute("SELECT sha256, content_type, size FROM media")
        }
        pieces = archive.db.execute(
            "SELECT COUNT(*) FROM media_chunks WHERE sha256 = ?", [sha(REPORT)]
        ).fetchone()[0]
        links = archive.db.execute(
            "SELECT COUNT(*) FROM release_media WHERE url = ?", [f"{SITE}/bilder/forskola.jpg"]
        ).fetchone()[0]
        releases = archive.release_count()
    assert releases == 3  # a failed or refused file never fails its release
    assert stored[sha(JPEG)] == ("image/jpeg", len(JPEG), JPEG)  # sniffed, not as declared
    assert stored[sha(PDF)][0] == "application/pdf"
    assert stored[sha(SVG)][0] == "image/svg+xml"
    assert stored[sha(REPORT)] == ("application/pdf", len(REPORT), REPORT)
    assert pieces == 3
    assert len(stored) == 5
    # Shown by two releases: two links, one stored copy, one request.
    assert links == 2
    assert site.requests["www.ekas.se/bilder/forskola.jpg"] == 1
    # Not asked at all: another site's image, and what robots.txt forbids.
    assert site.requests["tracker.example.com/annans-bild.jpg"] == 0
    assert site.requests["www.ekas.se/privat/hemlig.jpg"] == 0


def test_the_next_run_retries_only_what_failed(archived) -> None:
    db, site = archived
    before = Counter(site.requests)
    crawl(db, site, media=True)
    asked = {k: v - before[k] for k, v in site.requests.items() if v - before[k]}
    media_asked = {k for k in asked if "/bilder/" in k or "/dok/" in k}
    assert media_asked == {"www.ekas.se/bilder/borta.jpg"}
    with Archive(db) as archive:
        attempts = archive.db.execute(
            "SELECT attempts FROM release_media WHERE url LIKE '%borta.jpg'"
        ).fetchone()[0]
    assert attempts == 2


def test_the_release_cap_and_the_off_switch(tmp_path: Path) -> None:
    site = Site()
    crawl(tmp_path / "off.db", site, media=False)
    assert outcomes(tmp_path / "off.db") == {}
    assert not any("/bilder/" in key for key in site.requests)

    crawl(tmp_path / "cap.db", Site(), media_release_max_bytes=len(JPEG) + len(PNG))
    got = outcomes(tmp_path / "cap.db")
    assert got["/bilder/forskola.jpg"][0] == "archived"
    assert got["/bilder/ritning.png"][0] == "archived"
    assert got["/dok/beslut.pdf"][0] == "too large"  # the first release's budget is spent


def test_media_policy_and_sniffing() -> None:
    page = f"{SITE}/nyheter/a.html"
    assert media_refusal(f"{SITE}/a.jpg", page_url=page, site_url=page) is None
    assert media_refusal("https://bilder.ekas.se/a.jpg", page_url=page, site_url=page) is None
    assert (
        media_refusal("https://mnd-assets.mynewsdesk.com/x.jpg", page_url=page, site_url=page)
        is None
    )
    assert media_refusal("https://evil.example/a.jpg", page_url=page, site_url=page)
    assert media_refusal("javascript:alert(1)", page_url=page, site_url=page)
    assert sniff_type(JPEG, "text/html") == "image/jpeg"
    assert sniff_type(SVG, "image/jpeg") == "image/svg+xml"
    assert sniff_type(b"<!DOCTYPE html><html>", "image/jpeg") == "text/html"
    assert sniff_type(b"PK\x03\x04", "application/zip") == "application/zip"


async def test_the_archive_serves_its_copies_safely(archived) -> None:
    db, _ = archived
    ds = make_datasette(db)
    name = db.stem
    image = await ds.client.get(f"/{name}/-/media/{sha(JPEG)}")
    assert image.status_code == 200
    assert image.content == JPEG
    assert image.headers["content-type"] == "image/jpeg"
    assert image.headers["x-content-type-options"] == "nosniff"
    assert "immutable" in image.headers["cache-control"]
    assert "sandbox" in image.headers["content-security-policy"]
    again = await ds.client.get(
        f"/{name}/-/media/{sha(JPEG)}", headers={"if-none-match": f'"{sha(JPEG)}"'}
    )
    assert again.status_code == 304
    pdf = await ds.client.get(f"/{name}/-/media/{sha(PDF)}")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content == PDF
    # Larger than one value a serving connection may read (2 MiB): served from its pieces.
    report = await ds.client.get(f"/{name}/-/media/{sha(REPORT)}")
    assert report.status_code == 200 and report.content == REPORT
    # SVG can carry scripts: never shown by the browser as a page of ours.
    svg = await ds.client.get(f"/{name}/-/media/{sha(SVG)}")
    assert svg.headers["content-type"] == "application/octet-stream"
    assert svg.headers["content-disposition"].startswith("attachment")
    missing = await ds.client.get(f"/{name}/-/media/{'0' * 64}")
    assert missing.status_code == 404


async def test_the_release_page_shows_the_archived_image_or_the_original(archived) -> None:
    db, _ = archived
    with Archive(db) as archive:
        release_id = archive.release_for_url(f"{SITE}/nyheter/forskola.html")["id"]
    ds = make_datasette(db)
    page = (await ds.client.get(f"/{db.stem}/releases/{release_id}")).text
    assert f'<img src="/{db.stem}/-/media/{sha(JPEG)}"' in page
    assert f'href="/{db.stem}/-/media/{sha(PDF)}"' in page
    # Not archived (the file was gone): the original URL, as before.
    assert f'<img src="{SITE}/bilder/borta.jpg"' in page


def test_media_are_paid_from_the_source_budget_and_wait_for_the_next_run(tmp_path: Path) -> None:
    db, site = tmp_path / "budget.db", Site()
    crawl(db, site, max_requests_per_source=6)
    first = {k: v for k, v in site.requests.items() if "/bilder/" in k or "/dok/" in k}
    with Archive(db) as archive:
        waiting = len(archive.pending_media("ekas"))
        assert archive.release_count() == 3  # the releases come first
    assert 0 < sum(first.values()) <= 2  # what was left of the budget, no more
    assert waiting >= 5  # the rest waits, nothing is marked failed for it
    for _ in range(8):  # later runs finish the work within the same budget
        crawl(db, site, max_requests_per_source=6)
        with Archive(db) as archive:
            if not archive.pending_media("ekas", max_attempts=1):
                break
    got = {url: status for url, (status, _) in outcomes(db).items()}
    assert got["/bilder/forskola.jpg"] == got["/bilder/ritning.png"] == "archived"
    assert got["/dok/rapport.pdf"] == got["/dok/beslut.pdf"] == "archived"
    assert got["/bilder/stor.jpg"] == "too large" and got["/bilder/sida.jpg"] == "refused"
