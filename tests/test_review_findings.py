"""Review findings on the update pipeline and the archive (one test per finding).

Each test states what must hold; a failing test is a bug that is still there.
The sites are small synthetic ones written to tmp_path and served by
scraper.demo.sites.SiteServer (or tests/faultserver.FaultServer) on 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from faultserver import Conditional, FaultServer, Redirect, Respond

from scraper.demo.run import fixture_config
from scraper.demo.sites import SiteInfo, SiteServer, path_for_url
from scraper.records import Config, Settings, Source
from scraper.store import Archive
from scraper.update.crawl import update
from scraper.update.reprocess import reprocess

_WORDS = (
    "och att det som en på är av för med till den har de inte om ett men var så när kan man "
    "från vi ska nya skolan vägen parken bygget beslutet nämnden budgeten invånarna kommunen "
    "politikerna förslaget samrådet planen området staden byn sjön hamnen torget"
)
VOCAB = _WORDS.split()


class Clock:
    def __init__(self) -> None:
        self.moment = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)

    def __call__(self) -> str:
        return self.moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    def advance(self, days: float) -> None:
        self.moment += timedelta(days=days)


def release_html(
    slug: str, *, date: str | None = "2026-11-10", canonical: str | None = None, extra: str = ""
) -> str:
    rnd = random.Random(hashlib.sha1(slug.encode()).hexdigest())
    body = " ".join(rnd.choice(VOCAB) for _ in range(60))
    canon = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    dated = f"<p>Publicerad {date}</p>" if date else ""
    return (
        f'<!doctype html><html lang="sv"><head><meta charset="utf-8">'
        f"<title>Om {slug} - Testby kommun</title>{canon}</head><body>"
        '<header><nav><a href="/">Start</a> <a href="/nyheter/">Nyheter</a></nav></header>'
        f"<main><h1>Om {slug}</h1>{dated}<p>{slug}: {body}.</p>"
        f"<p>Andra stycket: {body[:90]}.</p>{extra}</main>"
        "<footer><p>Testby kommun, Storgatan 1</p></footer></body></html>"
    )


def listing_html(items: list[tuple[str, str | None]], *, head: str = "", more: str = "") -> str:
    lis = "".join(
        f'<li><a href="{href}">Om {href.rstrip("/").rsplit("/", 1)[-1]}</a>'
        + (f' <span class="date">{date}</span>' if date else "")
        + "</li>"
        for href, date in items
    )
    return (
        f'<!doctype html><html lang="sv"><head><meta charset="utf-8">'
        f"<title>Nyheter - Testby kommun</title>{head}</head><body>"
        '<header><nav><a href="/">Start</a></nav></header>'
        f'<main><h1>Nyheter</h1><ul class="news-list">{lis}</ul>{more}</main>'
        "<footer><p>Testby kommun</p></footer></body></html>"
    )


#: Releases that are always there, so that the listing looks like one.
OTHERS = [(f"/nyheter/{slug}.html", None) for slug in "bcdefghi"]


def write_others(site: Site) -> None:
    for href, _ in OTHERS:
        site.write(href, release_html(href.rsplit("/", 1)[-1].removesuffix(".html")))


class Site:
    """A small site on disk: write pages, then serve it."""

    def __init__(self, root: Path, listing: str = "/nyheter/") -> None:
        self.public = root / "public"
        self.public.mkdir(parents=True)
        self.write("/robots.txt", "User-agent: *\nAllow: /\n")
        self.write("/index.html", "<html><body><h1>Testby</h1><p>Start</p></body></html>")
        self.info = SiteInfo(id="testby", name="Testby kommun", root=self.public, listing=listing)

    def file(self, path: str) -> Path:
        url_path, _, query = path.partition("?")
        return path_for_url(self.public, url_path, query)

    def write(self, path: str, text: str) -> None:
        target = self.file(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")

    def redirects(self, lines: str) -> None:
        (self.public / "_redirects").write_text(lines, "utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return Site(tmp_path / "site")


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive(tmp_path / "archive.db") as opened:
        yield opened


def run(server: SiteServer, archive: Archive, clock: Clock, **kwargs: object) -> None:
    report = update(fixture_config([server]), archive, now=clock, **kwargs)
    assert report.ok, report


def release_gets(server: SiteServer) -> list[str]:
    return [r for r in server.requests if "/nyheter/" in r and not r.startswith("GET /nyheter/ ")]


# ---------------------------------------------------------------------------
# 1. A release fetched at two URLs (redirect, canonical, åäö) flip-flops forever.


def test_release_reached_through_a_redirect_gets_no_fake_revisions(
    site: Site, archive: Archive
) -> None:
    """crawl.py:229 + store/pages.py:289: the first raw page (asked at the old URL)
    becomes "unextracted" as soon as a re-check stores a page under the release's
    current URL; every later run re-extracts the stale page over the fresh one."""
    site.write("/nyheter/", listing_html([("/nyheter/gammal-a", None), *OTHERS]))
    site.write("/nyheter/a.html", release_html("a"))
    write_others(site)
    site.redirects("/nyheter/gammal-a /nyheter/a.html 301\n")
    clock = Clock()
    with SiteServer(site.info) as server:
        run(server, archive, clock)  # page 1 asked at /gammal-a, final /a.html
        clock.advance(8)
        run(server, archive, clock)  # re-check of /a.html: page 2
        site.write("/nyheter/a.html", release_html("a", extra="<p>Rättelse: fel datum.</p>"))
        clock.advance(8)
        run(server, archive, clock)  # the edit: one real revision
        for _ in range(3):  # nothing changes on the site any more
            clock.advance(1)
            run(server, archive, clock)
    row = archive.release_for_url(server.base_url + "/nyheter/a.html")
    assert row is not None and "Rättelse" in row["body"]
    revisions = archive.db.execute(
        "SELECT COUNT(*) FROM revisions WHERE release_id = ?", [row["id"]]
    ).fetchone()[0]
    assert revisions == 1


def test_edit_of_a_release_with_swedish_letters_in_its_url_is_seen(
    site: Site, archive: Archive
) -> None:
    """Same cause, without any redirect: the listing links /nyheter/år.html, httpx asks
    (and reports final_url as) /nyheter/%C3%A5r.html, so url != final_url for every
    page; the release's current URL is the encoded one, and from the first re-check on
    each run re-extracts the other stale page and bumps last_fetched without fetching,
    so the release is never re-checked again and the edit is never seen."""
    site.write("/nyheter/", listing_html([("/nyheter/år.html", None), *OTHERS]))
    site.write("/nyheter/år.html", release_html("år"))
    write_others(site)
    clock = Clock()
    with SiteServer(site.info) as server:
        run(server, archive, clock)
        clock.advance(8)
        run(server, archive, clock)  # the re-check (asks the %-encoded URL)
        site.write("/nyheter/år.html", release_html("år", extra="<p>Rättelse: fel datum.</p>"))
        for _ in range(10):  # old enough to be re-checked every 7 days
            clock.advance(1)
            run(server, archive, clock)
    ((body, moved),) = archive.db.execute(
        "SELECT body, (SELECT COUNT(*) FROM events e WHERE e.release_id = r.id "
        "AND e.event = 'moved') FROM releases r WHERE title LIKE '%år%'"
    ).fetchall()
    assert "Rättelse" in body
    assert moved == 0  # the same URL, spelled two ways, is no move


# ---------------------------------------------------------------------------
# 2. The listing's validators are kept before what it listed is safe in the frontier.


def test_releases_on_a_listing_page_that_failed_once_are_found_later(
    site: Site, archive: Archive
) -> None:
    """walk.py:113-114 keeps page 1's ETag while the walk goes on; crawl.py:218 enqueues
    only after the whole walk. Page 2 failing (or kill -9 during pages 2..n) leaves
    page 1's validators stored and page 2's releases nowhere: the next runs get 304
    for page 1 and stop, so those releases are never discovered while page 1 is
    unchanged (and a kill -9 loses page 1's releases too)."""
    first = [(f"/nyheter/p1-{i}.html", None) for i in range(6)]
    second = [(f"/nyheter/p2-{i}.html", None) for i in range(6)]
    for href, _ in first + second:
        site.write(href, release_html(href.rsplit("/", 1)[-1].removesuffix(".html")))
    site.write("/nyheter/", listing_html(first, more='<a rel="next" href="?page=2">Nästa</a>'))
    clock = Clock()
    with SiteServer(site.info) as server:
        run(server, archive, clock)  # page 2 answers 404 (its file is not there yet)
        assert archive.release_count() == 6
        site.write("/nyheter/?page=2", listing_html(second))
        for _ in range(3):
            clock.advance(1)
            run(server, archive, clock)
    assert archive.release_count() == 12


# ---------------------------------------------------------------------------
# 3. Removal by redirect: the grace period and the return.


def test_release_still_on_its_listing_is_not_marked_removed_by_a_redirect(
    site: Site, archive: Archive
) -> None:
    """crawl.py:348 measures the grace period from last_listed, but last_listed is only
    refreshed when the listing is walked (walk.py:131); a listing answering 304 (the
    normal no-change run) or a release beyond the first listing page never refreshes
    it. A release still listed whose page briefly redirects to the start page
    (maintenance) is marked removed at once, without any grace."""
    site.write("/nyheter/", listing_html([("/nyheter/a.html", None), *OTHERS]))
    site.write("/nyheter/a.html", release_html("a"))
    write_others(site)
    clock = Clock()
    with SiteServer(site.info) as server:
        run(server, archive, clock)
        for _ in range(30):  # daily runs; the listing is unchanged (304) and shows a
            clock.advance(1)
            run(server, archive, clock)
        site.redirects("/nyheter/a.html / 302\n")
        clock.advance(8)  # its weekly re-check is due
        run(server, archive, clock)
        row = archive.release_for_url(server.base_url + "/nyheter/a.html")
    assert row is not None and row["removed_at"] is None, row["removal_evidence"]


def test_release_back_after_a_redirect_removal_is_restored(site: Site, archive: Archive) -> None:
    """crawl.py:282-288: the redirect-away removal keeps the page's old validators
    (unlike the 404 path, crawl.py:332), so when the page comes back unchanged the
    re-check gets 304 and only touch_release() runs: removed_at is never cleared."""
    site.write("/nyheter/", listing_html([("/nyheter/a.html", None), *OTHERS]))
    site.write("/nyheter/a.html", release_html("a"))
    write_others(site)
    clock = Clock()
    with SiteServer(site.info) as server:
        run(server, archive, clock)
        site.write("/nyheter/", listing_html(OTHERS))  # gone from the listing ...
        site.redirects("/nyheter/a.html /nyheter/ 301\n")  # ... and redirects to it
        clock.advance(31)
        run(server, archive, clock)
        url = server.base_url + "/nyheter/a.html"
        assert archive.release_for_url(url)["removed_at"] is not None
        site.redirects("")  # back, unchanged
        site.write("/nyheter/", listing_html([("/nyheter/a.html", None), *OTHERS]))
        for _ in range(3):
            clock.advance(31)
            run(server, archive, clock)
        row = archive.release_for_url(url)
    assert row["removed_at"] is None


# ---------------------------------------------------------------------------
# 4. Identity by canonical URL trusts any same-site canonical.


def test_canonical_pointing_at_the_start_page_does_not_merge_releases(
    site: Site, archive: Archive
) -> None:
    """extract.py:219-224 accepts any same-site canonical; store/releases.py:80-86 looks
    the canonical up first. A CMS that puts the start page (or the listing) in every
    release's <link rel=canonical> - a common misconfiguration - folds every release
    into one row, each one stored as a "revision" of the previous."""
    slugs = "abcdefgh"
    site.write("/nyheter/", listing_html([(f"/nyheter/{s}.html", None) for s in slugs]))
    for slug in slugs:
        site.write(f"/nyheter/{slug}.html", release_html(slug, canonical="/"))
    with SiteServer(site.info) as server:
        run(server, archive, Clock())
    revisions = archive.db.execute("SELECT COUNT(*) FROM revisions").fetchone()[0]
    assert (archive.release_count(), revisions) == (len(slugs), 0)


# ---------------------------------------------------------------------------
# 5. What the listing said is not kept with the raw page.


def test_publication_date_from_the_listing_survives_reprocess(site: Site, archive: Archive) -> None:
    """crawl.py:368 passes the listing entry as a hint only on the first fetch;
    reprocess.py:195 (and crawl.py:393 _reextract, and every later re-check) extract
    without it, so a date (or kind) that only the listing gave is wiped: published
    and year become NULL, as an "updated" release without a revision."""
    items = [(f"/nyheter/{s}.html", f"2026-11-{10 + i:02d}") for i, s in enumerate("abcdefgh")]
    site.write("/nyheter/", listing_html(items))
    for href, _ in items:
        site.write(href, release_html(href.rsplit("/", 1)[-1][0], date=None))
    with SiteServer(site.info) as server:
        run(server, archive, Clock())
    before = archive.db.execute(
        "SELECT published_source, COUNT(published) FROM releases"
    ).fetchone()
    assert before == ("listing", len(items))
    reprocess(None, archive, now=Clock())
    after = archive.db.execute("SELECT COUNT(published) FROM releases").fetchone()[0]
    assert after == len(items)


# ---------------------------------------------------------------------------
# 6. The frontier gives a URL up for good.


def test_given_up_frontier_url_is_fetched_again_by_full(site: Site, archive: Archive) -> None:
    """crawl.py:213/219 + store/crawlstate.py:122-139: after FRONTIER_ATTEMPTS failed runs
    a URL is left out of `queued`, so the walk sees it as new each run, but enqueue()
    is INSERT OR IGNORE and pending() filters attempts >= 5: it is never fetched again,
    not even by --full, and nothing can reset it. Five failing runs (five hours of an
    hourly cron, or a host given up after the listing) lose releases for good; the
    permanently "new" URL also stops the walk from ever stopping at page 1."""
    site.write("/nyheter/", listing_html([("/nyheter/a.html", None), *OTHERS]))
    write_others(site)  # a.html answers 404 for now
    clock = Clock()
    with SiteServer(site.info) as server:
        for _ in range(5):
            run(server, archive, clock)
            clock.advance(1 / 24)
        site.write("/nyheter/a.html", release_html("a"))
        clock.advance(1)
        run(server, archive, clock, full=True)
        assert archive.release_for_url(server.base_url + "/nyheter/a.html") is not None


# ---------------------------------------------------------------------------
# 7. A source whose URL was corrected in sources.toml.


def rss(base: str, hrefs: list[str]) -> str:
    items = "".join(
        f"<item><title>Om {h}</title><link>{base}{h}</link>"
        "<pubDate>Tue, 10 Nov 2026 10:00:00 +0100</pubDate></item>"
        for h in hrefs
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Nyheter</title><link>{base}/nyheter/</link>{items}</channel></rss>"
    )


def test_corrected_source_url_is_walked_not_the_old_listings_feed(
    site: Site, archive: Archive
) -> None:
    """walk.py:53-57 reads sources.feed_url, which the OLD listing announced;
    sync_sources (store/crawlstate.py:79) updates url but keeps feed_url. After the
    operator corrects the source's URL, the old feed (304, or with a known entry)
    answers every run and the new listing is never requested."""
    news = [f"/nyheter/{s}.html" for s in "abcdefgh"]
    press = [f"/press/{s}.html" for s in "ijklmnop"]
    for href in news + press:
        site.write(href, release_html(href.rsplit("/", 1)[-1][0]))
    feed = '<link rel="alternate" type="application/rss+xml" href="/nyheter/flode.rss">'
    site.write("/nyheter/", listing_html([(h, None) for h in news], head=feed))
    site.write("/press/", listing_html([(h, None) for h in press]))
    clock = Clock()
    with SiteServer(site.info) as server:
        site.write("/nyheter/flode.rss", rss(server.base_url, news))
        config = fixture_config([server])
        run(server, archive, clock)
        assert archive.release_count() == len(news)
        (source,) = config.sources
        moved = replace(config, sources=(replace(source, url=server.base_url + "/press/"),))
        clock.advance(1)
        assert update(moved, archive, now=clock).ok
        asked_press = any(r.startswith("GET /press/ ") for r in server.requests)
    assert asked_press
    assert archive.release_count() == len(news) + len(press)


# ---------------------------------------------------------------------------
# 8. Two sources on one host whose listings share releases.


def test_release_listed_by_two_sources_is_not_fetched_again_every_run(
    site: Site, archive: Archive
) -> None:
    """store/releases.py:27 known_urls() is per source while a release row (and the
    frontier's primary key, store/schema.py:130) belongs to one source. For the other
    source a shared release is "new" on every run that walks its listing: fetched
    again in full (no validators), counted as discovered, and the walk never stops
    at page 1 (it goes on to max_pages)."""
    news = [f"/nyheter/{s}.html" for s in "abcdefgh"]
    press_only = [f"/press/{s}.html" for s in "ijklmn"]
    for href in news + press_only:
        site.write(href, release_html(href.rsplit("/", 1)[-1][0]))
    site.write("/nyheter/", listing_html([(h, None) for h in news]))
    site.write("/press/", listing_html([(h, None) for h in news[:2] + press_only]))
    clock = Clock()
    with SiteServer(site.info) as server:
        sources = (
            Source(id="nyheter", name="Testby nyheter", url=server.base_url + "/nyheter/", delay=0),
            Source(id="press", name="Testby press", url=server.base_url + "/press/", delay=0),
        )
        config = Config(path="<test>", settings=Settings(delay=0.0), sources=sources)
        assert update(config, archive, now=clock).ok
        assert archive.release_count() == len(news) + len(press_only)
        site.write("/press/o.html", release_html("o"))
        site.write(
            "/press/", listing_html([(h, None) for h in ["/press/o.html", *news[:2], *press_only]])
        )
        server.requests.clear()
        clock.advance(1)  # nothing is due for a re-check
        assert update(config, archive, now=clock).ok
        shared = [r for r in server.requests if r.split()[1] in news[:2]]
    assert archive.release_count() == len(news) + len(press_only) + 1
    assert shared == []


# ---------------------------------------------------------------------------
# 9. reprocess without the sources file.


def test_reprocess_without_sources_file_keeps_per_source_overrides(
    site: Site, archive: Archive
) -> None:
    """cli.py:566-571 runs reprocess with config=None when sources.toml is not in the
    working directory (silently), and reprocess.py:241 then extracts without the
    source's body_selector/drop_selectors/date_selector: every overridden source's
    releases are rewritten with what the override was there to prevent ("updated",
    no revision, so the archive does not even show it). Same for a source removed
    from sources.toml."""
    slugs = "abcdefgh"
    site.write("/nyheter/", listing_html([(f"/nyheter/{s}.html", None) for s in slugs]))
    for slug in slugs:
        extra = f'<p class="dela">Dela sidan {slug} på Facebook och skriv ut den.</p>'
        site.write(f"/nyheter/{slug}.html", release_html(slug, extra=extra))
    clock = Clock()
    with SiteServer(site.info) as server:
        config = fixture_config([server])
        (source,) = config.sources
        config = replace(config, sources=(replace(source, drop_selectors=(".dela",)),))
        assert update(config, archive, now=clock).ok
    assert not archive.db.execute(
        "SELECT 1 FROM releases WHERE body LIKE '%Dela sidan%'"
    ).fetchall()
    counts = reprocess(None, archive, now=clock)
    leaked = archive.db.execute("SELECT COUNT(*) FROM releases WHERE body LIKE '%Dela sidan%'")
    assert (counts["updated"], leaked.fetchone()[0]) == (0, 0)


# ---------------------------------------------------------------------------
# 10. The template sample counts one release several times; failed pages are not retried.


def test_edit_on_a_small_source_is_archived(site: Site, archive: Archive) -> None:
    """crawl.py:357-358 learns from each release's stored page PLUS this run's pages, so
    a re-fetched release is counted twice (three times with a stale duplicate page);
    on a source with few releases its own text reaches the 0.5 share and is dropped
    as boilerplate: "page holds no release text". crawl.py:310 has already stored
    the page's validators, and pages.py:299 never retries a page whose extraction
    failed, so the next runs get 304 and the edit is never archived (not by
    reprocess either: it only re-extracts releases' current pages)."""
    items = [(f"/nyheter/{s}.html", None) for s in "abc"]
    site.write("/nyheter/", listing_html(items))
    for href, _ in items:
        site.write(href, release_html(href[9], date="2026-11-26"))  # young: checked daily
    clock = Clock()
    with SiteServer(site.info) as server:
        run(server, archive, clock)
        assert archive.release_count() == 3
        site.write(
            "/nyheter/a.html", release_html("a", date="2026-11-26", extra="<p>Rättelse.</p>")
        )
        for _ in range(3):
            clock.advance(1)
            run(server, archive, clock)
        row = archive.release_for_url(server.base_url + "/nyheter/a.html")
    assert "Rättelse" in row["body"]


# ---------------------------------------------------------------------------
# 11. A 304 at the end of a redirect is taken as "the release is unchanged".


def test_release_redirecting_away_is_not_taken_as_unchanged(archive: Archive) -> None:
    """fetch.py sends the release's If-Modified-Since/If-None-Match to every hop and
    crawl.py:282-288 treats a 304 from the redirect TARGET as "release not modified"
    (touch_release). A removed release that now redirects to an older page (the start
    page) is answered 304 by that page: never marked removed, re-checked as fine."""
    modified = (("Last-Modified", "Wed, 01 Jan 2025 10:00:00 GMT"),)  # no ETag
    slugs = "abcdefgh"
    with FaultServer() as server:
        for slug in slugs:
            server.route(
                f"/nyheter/{slug}.html", Respond(200, release_html(slug), headers=modified)
            )
        server.route(
            "/nyheter/", Respond(200, listing_html([(f"/nyheter/{s}.html", None) for s in slugs]))
        )
        server.route(
            "/",
            Conditional(
                "<h1>Start</h1>", etag='"start"', last_modified="Mon, 01 Jan 2024 10:00:00 GMT"
            ),
        )
        source = Source(id="testby", name="Testby", url=server.url("/nyheter/"), delay=0)
        config = Config(path="<test>", settings=Settings(delay=0.0), sources=(source,))
        clock = Clock()
        assert update(config, archive, now=clock).ok
        server.route(
            "/nyheter/",
            Respond(200, listing_html([(f"/nyheter/{s}.html", None) for s in slugs[1:]])),
        )
        server.route("/nyheter/a.html", Redirect(301, "/"))  # removed: to the start page
        clock.advance(31)
        assert update(config, archive, now=clock).ok
        row = archive.release_for_url(server.url("/nyheter/a.html"))
    assert row["removed_at"] is not None


# ---------------------------------------------------------------------------
# 12. The same URL spelled with other percent-escapes is a new release.


def test_same_url_with_other_percent_escapes_is_one_release(site: Site, archive: Archive) -> None:
    """listing_urls.normalize_url keeps escapes as written and every store lookup is an
    exact string match (store/releases.py:36). /nyheter/%c3%a5r.html (as a CMS writes
    it), /nyheter/år.html and /nyheter/%C3%A5r.html (as httpx sends it) are one page;
    when the listing switches spelling (CMS upgrade, feed vs listing) the release is
    fetched as new and stored as a second row."""
    site.write("/nyheter/år.html", release_html("år"))
    write_others(site)
    site.write("/nyheter/", listing_html([("/nyheter/%c3%a5r.html", None), *OTHERS]))
    clock = Clock()
    with SiteServer(site.info) as server:
        run(server, archive, clock)
        site.write("/nyheter/", listing_html([("/nyheter/år.html", None), *OTHERS]))
        clock.advance(1)
        run(server, archive, clock)
    assert archive.release_count() == 1 + len(OTHERS)
