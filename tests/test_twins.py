"""One release published on the organisation's own site and on its newsroom is one release."""

from __future__ import annotations

from pathlib import Path

from scraper.demo.run import stable_transport
from scraper.demo.sites import serve_hosts
from scraper.records import Config, Settings, Source
from scraper.store import Archive
from scraper.store.releases import title_key
from scraper.update.crawl import update

RELEASES = [
    ("2026-11-30", "Ny förskola öppnar i Ekeby centrum", "forskola", "3467520"),
    ("2026-11-18", "Vattenläckan i Norrby är lagad", "vattenlacka", "3461102"),
    ("2026-11-02", "Budget 2027 antagen av fullmäktige", "budget-2027", "3455230"),
]
BODY = (
    "<p>Kommunen meddelar att arbetet nu är klart och att verksamheten kan börja som planerat. "
    "Det har tagit ett år av planering tillsammans med medborgarna.</p>"
    "<p>Frågor besvaras av kommunens kontaktcenter på telefon och e-post under kontorstid.</p>"
)


def own_page(date: str, title: str) -> str:
    return (
        f'<html lang="sv"><head><title>{title} - Ekeby kommun</title></head><body>'
        '<header><a href="/">Ekeby kommun</a></header><main><article>'
        f'<h1>{title}</h1><p class="date">Publicerad <time datetime="{date}">{date}</time></p>'
        f"{BODY}</article></main><footer>Ekeby kommun, 123 45 Ekeby</footer></body></html>"
    )


def room_page(date: str, title: str) -> str:
    return (
        f'<html lang="sv"><head><title>{title} | Ekeby kommun</title>'
        f'<meta property="article:published_time" content="{date}T09:00:00+01:00"></head><body>'
        '<div class="newsroom-header">Ekeby kommun - Nyhetsrum</div><main><article>'
        f"<h1>Pressmeddelande: {title}</h1>{BODY}"
        '<section class="about"><h2>Om Ekeby kommun</h2><p>Ekeby kommun har 12 000 '
        "invånare.</p></section></article></main></body></html>"
    )


def listing(links: list[tuple[str, str, str]]) -> str:
    items = "".join(
        f'<li class="news-item"><a href="{href}">{title}</a> <time datetime="{date}">{date}</time>'
        "</li>"
        for date, title, href in links
    )
    page = f"<main><h1>Pressmeddelanden</h1><ul>{items}</ul></main>"
    return f'<html lang="sv"><body>{page}</body></html>'


def build(root: Path) -> None:
    own = root / "www.ekeby.se"
    room = root / "www.mynewsdesk.com"
    (own / "press").mkdir(parents=True)
    (room / "se" / "ekeby" / "pressreleases").mkdir(parents=True)
    own_links, room_links = [], []
    for date, title, slug, number in RELEASES:
        (own / "press" / f"{slug}.html").write_text(own_page(date, title), "utf-8")
        own_links.append((date, title, f"/press/{slug}.html"))
        folder = room / "se" / "ekeby" / "pressreleases" / f"{slug}-{number}"
        folder.mkdir()
        (folder / "index.html").write_text(room_page(date, title), "utf-8")
        room_links.append((date, title, f"/se/ekeby/pressreleases/{slug}-{number}/"))
    (own / "press" / "index.html").write_text(listing(own_links), "utf-8")
    (room / "se" / "ekeby" / "pressreleases" / "index.html").write_text(
        listing(room_links), "utf-8"
    )


def test_the_same_release_on_the_newsroom_is_one_release_with_both_urls(tmp_path: Path) -> None:
    build(tmp_path / "hosts")
    servers = serve_hosts(tmp_path / "hosts")
    try:
        transport = stable_transport(servers)
        sources = (
            Source(
                id="ekeby",
                name="Ekeby",
                url="https://www.ekeby.se/press/",
                organisation="0883",
                delay=0.0,
            ),
            Source(
                id="ekeby-newsroom",
                name="Ekeby nyhetsrum",
                url="https://www.mynewsdesk.com/se/ekeby/pressreleases/",
                organisation="0883",
                delay=0.0,
            ),
        )
        config = Config(path="<test>", settings=Settings(delay=0.0), sources=sources)
        with Archive(tmp_path / "a.db") as archive:
            for _ in range(2):  # and again: no revisions between the two copies
                assert update(config, archive, transport=transport).ok
            assert archive.release_count() == 3
            for _date, _title, slug, _number in RELEASES:
                [release_id] = {
                    row[0]
                    for row in archive.db.execute(
                        "SELECT release_id FROM release_urls WHERE url LIKE ?", [f"%{slug}%"]
                    )
                }
                urls = {
                    row[0]
                    for row in archive.db.execute(
                        "SELECT url FROM release_urls WHERE release_id = ?", [release_id]
                    )
                }
                assert f"https://www.ekeby.se/press/{slug}.html" in urls
                assert any("mynewsdesk.com" in url for url in urls)
            assert archive.db.execute("SELECT COUNT(*) FROM revisions").fetchone()[0] == 0
            listed, missing = archive.coverage("ekeby-newsroom")
            assert (listed, missing) == (3, [])
    finally:
        for server in servers:
            server.stop()


def test_titles_compare_without_kind_prefix_case_and_punctuation() -> None:
    assert title_key("Pressmeddelande: Ny förskola öppnar!") == title_key("ny förskola öppnar")
    assert title_key("Ny förskola öppnar") != title_key("Ny förskola stänger")
