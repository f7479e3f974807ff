"""The stored raw page, viewable as the site showed it, safely (scraper.serve.archived,
scraper.serve.rawpage): no scripts, nothing loaded from elsewhere."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser
from test_media_archive import JPEG, SITE, archived, sha  # noqa: F401 - the fixture

from scraper.serve.app import make_datasette
from scraper.serve.rawpage import page_text, safe_page_html
from scraper.store import Archive

HOSTILE = (
    '<html><head><base href="https://evil.example/">'
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">'
    '<link rel="stylesheet" href="https://cdn.example.com/s.css">'
    "<script>alert(1)</script><style>p { color: red }</style></head>"
    '<body onload="steal()"><p><a href="/om/" onclick="x()">Om oss</a> '
    '<a href="javascript:alert(1)">Klicka</a> <a href=" JaVaScRiPt:alert(2)">Igen</a></p>'
    '<img src="/bilder/a.jpg" srcset="/bilder/a-2x.jpg 2x" alt="Arkiverad">'
    '<img data-src="https://cdn.example.com/lazy.jpg" src="data:image/gif;base64,R0lGOD" alt="Lat">'
    '<picture><source srcset="https://cdn.example.com/p.webp"><img src="/p.jpg" alt="P"></picture>'
    '<iframe src="https://www.youtube.com/embed/x"></iframe><object data="/x.swf"></object>'
    '<svg><script>alert(3)</script></svg><video src="https://cdn.example.com/v.mp4"></video>'
    '<form action="https://evil.example/post"><input name="q"></form></body></html>'
)


def archived_copy(url: str) -> str | None:
    return "/archive/-/media/abc" if url == "https://www.ekas.se/bilder/a.jpg" else None


def test_safe_page_html_removes_scripts_and_outside_loads() -> None:
    html = safe_page_html(HOSTILE, "https://www.ekas.se/nyheter/a.html", archived_copy)
    tree = LexborHTMLParser(html)
    for tag in ("script", "iframe", "object", "base", "link", "meta", "embed"):
        assert tree.css(tag) == [], tag
    assert "alert" not in html and "steal" not in html
    for node in tree.root.traverse():
        assert not any(name.lower().startswith("on") for name in node.attributes), node.html
    # The only URLs left to load are the archive's own; links go to the original site.
    loads = [
        value
        for node in tree.root.traverse()
        for name, value in node.attributes.items()
        if name in ("src", "srcset", "data", "action", "poster") and value
    ]
    assert loads == ["/archive/-/media/abc"]
    hrefs = [a.attributes.get("href") for a in tree.css("a")]
    assert hrefs == ["https://www.ekas.se/om/", None, None]
    assert tree.css("img")[1].attributes["data-original-src"] == "https://cdn.example.com/lazy.jpg"
    assert "p { color: red }" in html  # the page's own inline style stays


def test_page_text_is_the_visible_text() -> None:
    assert page_text(HOSTILE) == "Om oss\nKlicka\nIgen\n"


async def test_the_raw_page_is_served_sandboxed_with_archived_images(archived) -> None:  # noqa: F811
    db, _ = archived
    with Archive(db) as archive:
        row = archive.release_for_url(f"{SITE}/nyheter/forskola.html")
    ds = make_datasette(db)
    base = f"/{db.stem}/-/page/{row['page_id']}"

    release = (await ds.client.get(f"/{db.stem}/releases/{row['id']}")).text
    assert f'href="{base}">Den sparade råsidan' in release

    wrapper = await ds.client.get(base)
    assert wrapper.status_code == 200
    frame = re.search(r"<iframe[^>]*>", wrapper.text).group(0)
    assert f'src="{base}/view"' in frame and " sandbox " in frame

    view = await ds.client.get(base + "/view")
    assert view.status_code == 200
    policy = view.headers["content-security-policy"]
    directives = {d.split()[0]: d.split()[1:] for d in policy.split("; ")}
    assert directives["sandbox"] == []  # no allow-scripts: nothing runs
    assert directives["default-src"] == ["'none'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert "script-src" not in directives  # falls back to default-src 'none'
    assert view.headers["x-content-type-options"] == "nosniff"
    # Framed by the archive's own page and nobody else's (the site-wide headers say DENY).
    assert view.headers["x-frame-options"] == "SAMEORIGIN"
    assert directives["frame-ancestors"] == ["'self'"]
    html = view.text
    assert "<script" not in html and "<iframe" not in html and "<link" not in html
    tree = LexborHTMLParser(html)
    loads = {
        value
        for node in tree.root.traverse()
        for name, value in node.attributes.items()
        if name in ("src", "srcset", "data", "action", "poster") and value
    }
    assert f"/{db.stem}/-/media/{sha(JPEG)}" in loads
    assert all(url.startswith(f"/{db.stem}/-/media/") for url in loads)  # nothing from elsewhere
    assert f'src="/{db.stem}/-/media/{sha(JPEG)}"' in html
    assert 'data-original-src="https://www.ekas.se/bilder/borta.jpg"' in html
    assert "Ny förskola i Ekås" in html

    text = await ds.client.get(base + "/text")
    assert text.headers["content-type"].startswith("text/plain")
    assert "Kommunfullmäktige beslutade" in text.text and "<p>" not in text.text
    source = await ds.client.get(base + "/source")
    assert source.headers["content-type"].startswith("text/plain")
    assert source.headers["x-content-type-options"] == "nosniff"
    assert "<script>document.write" in source.text  # as fetched, but never as HTML

    assert (await ds.client.get(f"/{db.stem}/-/page/999999")).status_code == 404
