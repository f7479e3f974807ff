"""The trap site of fixtures/hostile/traps, served on 127.0.0.1 (port 0).

Files under ``public/`` are served as they are; the pages that never end
are made on request:

* ``/nyheter/?page=N`` (N >= 3): 20 undated links and a next page, for ever;
* ``/kalender/YYYY/MM/``: the month's 28 days and the next month, for ever;
* ``/arkiv/visa?...``: one page per combination of a faceted search;
* ``/flode.xml?n=N``: an RSS feed of N dated releases ``/flode/nyhet-I/``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "hostile" / "traps"
PUBLIC = ROOT / "public"

_PAGE = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>{title} - Fällby kommun</title>{meta}</head>
<body><header class="site-header"><a href="/">Fällby kommun</a>
<nav class="main-nav"><a href="/nyheter/">Nyheter</a> <a href="/arkiv/">Arkiv</a>
<a href="/kontakt/">Kontakta oss</a> <a href="/om/">Om kommunen</a></nav></header>
<main id="content">{main}</main>
<footer class="site-footer"><p>Fällby kommun, Storgatan 1, 123 45 Fällby.</p></footer>
</body></html>"""


def _listing(title: str, items: list[tuple[str, str, str | None]], next_url: str | None) -> str:
    lis = "".join(
        f'<li class="news-item"><a href="{href}">{text}</a>'
        + (f' <time datetime="{day}">{day}</time>' if day else "")
        + "</li>\n"
        for href, text, day in items
    )
    pager = (
        f'<nav class="pager"><a href="{next_url}" rel="next">Nästa</a></nav>' if next_url else ""
    )
    main = f'<h1>{title}</h1>\n<ul class="news-list">\n{lis}</ul>\n{pager}'
    return _PAGE.format(title=title, meta="", main=main)


def _article(title: str, day: str | None, number: int) -> str:
    meta = f'<meta property="article:published_time" content="{day}">' if day else ""
    when = f'<p class="published">Publicerad <time datetime="{day}">{day}</time></p>' if day else ""
    main = (
        f'<article class="news-article"><h1>{title}</h1>{when}'
        f"<p>Det här är sidan nummer {number}. Förvaltningen informerar om sitt arbete "
        "och om vad som händer i kommunen under den närmaste tiden.</p>"
        f"<p>Läs mer om ärende {number} hos kommunens kontaktcenter, som svarar på "
        "frågor på vardagar mellan klockan åtta och sexton.</p></article>"
    )
    return _PAGE.format(title=title, meta=meta, main=main)


def _feed(base: str, count: int) -> str:
    start = date(2026, 12, 1)
    items = "".join(
        f"<item><title>Nyhet nummer {i}</title><link>{base}/flode/nyhet-{i}/</link>"
        f"<guid>{base}/flode/nyhet-{i}/</guid>"
        f"<pubDate>{(start - timedelta(days=i // 5)).strftime('%a, %d %b %Y')} 10:00:00 +0000"
        "</pubDate></item>"
        for i in range(count)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Fällby kommun</title><link>{base}/</link><description>Nyheter</description>"
        f"{items}</channel></rss>"
    )


def generated(path: str, query: dict[str, list[str]], base: str) -> tuple[str, str] | None:
    """(content type, body) of a trap page, or None when the path is not one."""
    html = "text/html; charset=utf-8"
    parts = [p for p in path.split("/") if p]
    if path == "/nyheter/" and query.get("page", ["1"])[0].isdigit():
        n = int(query["page"][0]) if "page" in query else 1
        if n >= 3:
            items = [
                (
                    f"/nyheter/sida-{n}-{k}/",
                    f"Aktuellt {n}.{k}: information från förvaltningen",
                    None,
                )
                for k in range(20)
            ]
            return html, _listing("Nyheter", items, f"/nyheter/?page={n + 1}")
    if len(parts) == 2 and parts[0] == "nyheter" and parts[1].startswith("sida-"):
        # Each junk page carries a date of its own (a "page updated" stamp), as the
        # pages of a real trap do: unbounded, they would be stored as releases.
        return html, _article(f"Aktuellt {parts[1][5:]}: information", "2026-12-01", len(path))
    if len(parts) == 3 and parts[0] == "kalender":
        year, month = int(parts[1]), int(parts[2])
        nxt = (year + month // 12, month % 12 + 1)
        items = [
            (f"/kalender/{year}/{month:02d}/{d:02d}/", f"Evenemang {d}/{month} {year}", None)
            for d in range(1, 29)
        ]
        return html, _listing(
            f"Kalender {year}-{month:02d}", items, f"/kalender/{nxt[0]}/{nxt[1]:02d}/"
        )
    if len(parts) == 4 and parts[0] == "kalender":
        day = f"{parts[1]}-{parts[2]}-{parts[3]}"
        return html, _article(f"Evenemang den {day}", day, int(parts[3]))
    if path == "/arkiv/visa":
        title = f"Arkivet: ärende {query.get('id', ['?'])[0]}"
        return html, _article(title, "2026-11-01", int(query.get("vy", ["0"])[0]))
    if path == "/flode.xml":
        return "application/rss+xml", _feed(base, int(query.get("n", ["10"])[0]))
    if len(parts) == 2 and parts[0] == "flode" and parts[1].startswith("nyhet-"):
        i = int(parts[1][6:])
        day = (date(2026, 12, 1) - timedelta(days=i // 5)).isoformat()
        return html, _article(f"Nyhet nummer {i}", day, i)
    return None


class TrapSite:
    """The trap site on its own port; ``requests`` counts the requests by path."""

    def __init__(self) -> None:
        site = self
        self.requests: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                return None

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                parts = urlsplit(self.path)
                site.requests.append(self.path)
                found = generated(parts.path, parse_qs(parts.query), site.base_url)
                if found is None:
                    found = _static(parts.path, parts.query)
                if found is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                content_type, text = found
                body = text.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> TrapSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join()


def _static(path: str, query: str) -> tuple[str, str] | None:
    rel = path.lstrip("/")
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    if query:
        stem, _, ext = rel.rpartition(".")
        rel = f"{stem}__{query}.{ext}"
    target = (PUBLIC / rel).resolve()
    if PUBLIC.resolve() not in target.parents or not target.is_file():
        return None
    kind = "text/plain; charset=utf-8" if target.suffix == ".txt" else "text/html; charset=utf-8"
    return kind, target.read_text("utf-8")


@contextmanager
def trap_site() -> Iterator[TrapSite]:
    site = TrapSite().start()
    try:
        yield site
    finally:
        site.stop()
