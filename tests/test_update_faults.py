"""The update pipeline against a site that fails in every way issue 4 lists.

For each fault: the run completes, the outcome is recorded in ``fetches``,
nothing good is lost, and a later clean run gets everything.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from faultserver import (
    Conditional,
    FaultServer,
    GzipBomb,
    Huge,
    Redirect,
    Reset,
    Respond,
    Robots,
    Sequence,
    Slow,
    Truncated,
)

from scraper.records import Config, Settings, Source
from scraper.store import Archive
from scraper.update.crawl import update

SETTINGS = Settings(
    user_agent="scraper-tests/1 (+https://example.org/tests)",
    delay=0.0,
    retries=2,
    retry_backoff=0.01,
    read_timeout=0.5,
    total_timeout=2.0,
    max_bytes=2_000_000,
    host_failure_limit=100,
)

PAGE = """<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">
<title>{title} - Felby kommun</title></head><body>
<header><a href="#innehall">Gå direkt till innehåll</a><nav><a href="/">Start</a></nav></header>
<main id="innehall"><article><h1>{title}</h1><p class="datum">Publicerad 2024-05-{day:02d}</p>
<p>Kommunfullmäktige i Felby beslutade i kväll om {topic}. Beslutet fattades efter en lång
debatt där flera partier lade fram egna förslag till förändringar.</p>
<p>Arbetet med {topic} börjar redan vecka {week} och ska vara klart inom {years} år,
enligt förvaltningen.</p>
<p>– Att {topic} nu blir av är ett viktigt steg, säger kommunalråd nummer {day}.</p>
</article></main><footer><p>Felby kommun, 123 45 Felby</p></footer></body></html>"""

FAULTS = {
    "flaky": Sequence(Respond(503), Respond(429, headers=(("Retry-After", "0"),))),
    "fel500": Respond(500, "<h1>Internt fel</h1>"),
    "reset": Reset(),
    "trunkerad": Truncated(),
    "stor": Huge(size=5_000_000),
    "bomb": GzipBomb(size=50_000_000),
    "tom": Respond(200, ""),
    "trasig": Respond(200, "<html><body><div><<<p>>>\x00</div"),
    "seg": Slow(3.0),
    "loop": Redirect(302, "/nyheter/loop"),
    "bort": Redirect(302, "LOCALHOST"),
}


def page(slug: str, n: int) -> Respond:
    return Respond(
        200,
        PAGE.format(title=f"Beslut om {slug}", day=n + 1, topic=slug, week=n + 10, years=n + 2),
    )


def listing(slugs: list[str]) -> Respond:
    items = "".join(
        f'<li class="news-item"><a href="/nyheter/{s}">Beslut om {s}</a> '
        f"<span>2024-05-{i + 1:02d}</span></li>"
        for i, s in enumerate(slugs)
    )
    return Respond(
        200,
        '<html lang="sv"><body><nav><a href="/">Start</a></nav><main><h1>Nyheter</h1>'
        f'<ul class="news-list">{items}</ul></main></body></html>',
    )


class Clock:
    def __init__(self) -> None:
        self.moment = datetime(2026, 11, 27, 3, tzinfo=UTC)

    def __call__(self) -> str:
        return self.moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_every_fault_is_recorded_and_a_clean_run_gets_everything(tmp_path: Path) -> None:
    good = ["budget", "skolan", "vagen"]
    slugs = good + list(FAULTS) + ["pdf", "hemligt"]
    with FaultServer() as server:
        server.route("/robots.txt", Robots("User-agent: *\nDisallow: /nyheter/hemligt\n"))
        server.route("/nyheter/", listing(slugs))
        for i, slug in enumerate(good):
            server.route(f"/nyheter/{slug}", page(slug, i))
        for slug, behaviour in FAULTS.items():
            if slug == "bort":
                behaviour = Redirect(302, server.url("/annan-sajt", host="localhost"))
            server.route(f"/nyheter/{slug}", behaviour)
        server.route("/nyheter/pdf", Respond(200, b"%PDF-1.4", content_type="application/pdf"))
        server.route("/nyheter/hemligt", page("hemligt", 20))
        config = Config(
            path="<test>",
            settings=SETTINGS,
            sources=(Source(id="felby", name="Felby kommun", url=server.url("/nyheter/")),),
        )
        clock = Clock()
        with Archive(tmp_path / "archive.db") as archive:
            report = update(config, archive, now=clock)
            (result,) = report.sources
            assert result.ok, result.error  # the source was processed despite its faults
            assert result.new == 3, [r["url"] for r in archive.db["releases"].rows]
            outcomes = {
                url.rsplit("/", 1)[1]: (outcome, error)
                for url, outcome, error in archive.db.execute(
                    "SELECT url, outcome, error FROM fetches WHERE purpose IN "
                    "('release', 'extract') ORDER BY id"
                )
            }
            for slug in [
                "flaky",
                "fel500",
                "reset",
                "trunkerad",
                "stor",
                "bomb",
                "seg",
                "loop",
                "bort",
                "tom",
            ]:
                outcome, error = outcomes[slug]
                assert outcome == "failed" and error, (slug, outcome, error)
            assert outcomes["pdf"][0] == "skipped" and "application/pdf" in outcomes["pdf"][1]
            assert outcomes["hemligt"][0] == "skipped" and "robots" in outcomes["hemligt"][1]
            assert outcomes["trasig"][0] == "failed"  # fetched, but holds no release
            assert "larger than" in outcomes["stor"][1] and "larger than" in outcomes["bomb"][1]
            assert "off-site" in outcomes["bort"][1]
            assert server.count("/nyheter/hemligt") == 0
            before = {
                row["url"]: (row["body"], row["content_hash"])
                for row in archive.db["releases"].rows
            }
            assert len(before) == 3

            # The site recovers; the next run fetches what failed, keeps what it had.
            for i, slug in enumerate(FAULTS):
                server.route(f"/nyheter/{slug}", page(slug, i + 3))
            clock.moment += timedelta(hours=6)
            report = update(config, archive, now=clock)
            assert report.ok
            titles = {row["title"] for row in archive.db["releases"].rows}
            assert titles == {f"Beslut om {s}" for s in good + list(FAULTS)}
            for url, (body, content_hash) in before.items():
                row = archive.release_for_url(url)
                assert row is not None and (row["body"], row["content_hash"]) == (
                    body,
                    content_hash,
                )
            assert archive.db.execute("SELECT COUNT(*) FROM revisions").fetchone()[0] == 0
            assert server.count("/nyheter/hemligt") == 0


def test_no_change_run_sends_only_conditional_requests(tmp_path: Path) -> None:
    slugs = ["budget", "skolan", "vagen", "badet"]
    with FaultServer() as server:
        server.route("/robots.txt", Robots("User-agent: *\nDisallow: /sok/\n"))
        server.route("/nyheter/", Conditional(listing(slugs).body, etag='"lista-1"'))
        for i, slug in enumerate(slugs):
            server.route(
                f"/nyheter/{slug}",
                Conditional(page(slug, i).body, etag=f'"{slug}-1"'),
            )
        config = Config(
            path="<test>",
            settings=SETTINGS,
            sources=(Source(id="felby", name="Felby kommun", url=server.url("/nyheter/")),),
        )
        clock = Clock()
        with Archive(tmp_path / "archive.db") as archive:
            assert update(config, archive, now=clock).sources[0].new == 4
            server.reset_log()
            # Every release is due again a month later: all of them are re-checked.
            clock.moment += timedelta(days=40)
            report = update(config, archive, now=clock)
            assert report.sources[0].not_modified == 5 and report.sources[0].new == 0
            requests = [r for r in server.requests if r.path != "/robots.txt"]
            assert {r.path for r in requests} == {"/nyheter/"} | {f"/nyheter/{s}" for s in slugs}
            for request in requests:
                assert request.header("If-None-Match") or request.header("If-Modified-Since")
            # robots.txt is kept 24 hours: asked again after 40 days, not an hour later.
            assert server.count("/robots.txt") == 1
            server.reset_log()
            clock.moment += timedelta(hours=1)
            update(config, archive, now=clock)
            assert [r.path for r in server.requests] == ["/nyheter/"]
            assert server.requests[0].header("If-None-Match") == '"lista-1"'


def test_an_extractor_crash_on_one_page_is_logged_and_the_run_goes_on(
    tmp_path: Path, monkeypatch
) -> None:
    import scraper.update.extraction

    real = scraper.update.extraction.extract_release

    def fragile(html: str, url: str, **kwargs):  # type: ignore[no-untyped-def]
        if url.endswith("/skolan"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(html, url, **kwargs)

    monkeypatch.setattr(scraper.update.extraction, "extract_release", fragile)
    slugs = ["budget", "skolan", "vagen"]
    with FaultServer() as server:
        server.route("/nyheter/", listing(slugs))
        for i, slug in enumerate(slugs):
            server.route(f"/nyheter/{slug}", page(slug, i))
        config = Config(
            path="<test>",
            settings=SETTINGS,
            sources=(Source(id="felby", name="Felby kommun", url=server.url("/nyheter/")),),
        )
        with Archive(tmp_path / "archive.db") as archive:
            (report,) = update(config, archive, now=Clock()).sources
            assert report.ok and (report.new, report.failed) == (2, 1)
            (error,) = archive.db.execute(
                "SELECT error FROM fetches WHERE purpose = 'extract' AND outcome = 'failed'"
            ).fetchone()
            assert error == "extractor error: RecursionError: maximum recursion depth exceeded"
