"""No markup makes the extractor raise anything but an ExtractError (issue "Nothing lost, ever").

``extract_release`` and ``body_text`` answer every page with a release (a
text) or an ``ExtractError`` that gives the reason; ``page_blocks`` (what
``learn_template`` counts) answers with fingerprints. Named cases first, then
a seeded fuzz corpus of 10,000 pages (tests/html_fuzz.py): 8,000 random
municipal pages, most of them broken, and 2,000 breakages of the fixture
sites' pages. An ExtractError chained to another exception is the
extractor's safety net catching a bug, and fails the test as a crash would.
"""

from __future__ import annotations

import random
import tomllib
from functools import cache
from pathlib import Path

import pytest
from html_fuzz import mutate, random_page

from scraper.errors import ExtractError
from scraper.extract.blocks import MAX_PARSE_WORK, parse_work
from scraper.extract.release import BUG_REASON, body_text, extract_release
from scraper.extract.template import learn_template, page_blocks
from scraper.records import Release

SITES = Path(__file__).resolve().parent.parent / "fixtures" / "sites"
URL = "https://ekas.se/nyheter/ny-forskola"

PAGE = (
    "<!DOCTYPE html><html lang='sv'><head><title>Ny förskola - Ekås kommun</title></head><body>"
    "<nav><a href='/'>Start</a></nav><main><h1>Ny förskola</h1><p>{}</p></main></body></html>"
)
TEXT = "Kommunen bygger en ny förskola i centrala Ekås."


def _outcome(call, html: str) -> object:  # type: ignore[no-untyped-def]
    """The answer of one extractor call; fails on any exception but a plain ExtractError."""
    try:
        return call(html, URL)
    except ExtractError as exc:
        assert exc.__cause__ is None, f"extractor bug: {exc.reason}"
        assert not exc.reason.startswith(BUG_REASON)
        assert exc.url == URL and exc.reason
        return exc


def _page(text: str, *, head: str = "") -> str:
    return PAGE.format(text).replace("<head>", "<head>" + head)


def _deep(unit: str, depth: int) -> str:
    return PAGE.format(unit * depth + TEXT)


ODD_PAGES = {
    "php processing instruction": PAGE.format(f"Kommunen bygger <?php echo $x; ?> {TEXT}"),
    "xml processing instruction": "<?xml version='1.0'?>" + PAGE.format(TEXT),
    "unterminated processing instruction": PAGE.format(f"{TEXT} <?php echo"),
    "comments": PAGE.format(f"<!-- a -->{TEXT}<!--> <!----><!-- unclosed"),
    "cdata": PAGE.format(f"<![CDATA[ x < y ]]>{TEXT}<svg><![CDATA[z]]></svg>"),
    "unknown tags": PAGE.format(f"<x-card a=1><blink>{TEXT}</blink></x-card><foo:bar>q</foo:bar>"),
    "broken nesting": PAGE.format(f"<div><p>{TEXT}</div></p></td><table><p>x</b></i></a></table>"),
    "nul bytes": PAGE.format(f"Kommunen\x00 bygger\x00{TEXT}\x00<di\x00v>"),
    "lone surrogates": PAGE.format(f"Kommunen \ud800bygger\udfff {TEXT}"),
    "invalid utf-8 decoded with surrogateescape": PAGE.encode()
    .replace(b"Ny f\xc3\xb6rskola", b"Ny f\xf6rskola\xff\xfe")
    .decode("utf-8", "surrogateescape"),
    "replacement characters": PAGE.format("\ufffd" * 50 + TEXT),
    "huge class attribute": PAGE.format(f'<span class="{"sidebar " * 300_000}">{TEXT}</span>'),
    "huge href and src": PAGE.format(
        f'<a href="/{"x" * 1_000_000}.pdf">{TEXT}</a><img src="/{"y" * 1_000_000}.jpg">'
    ),
    "image width past int()'s digit limit": PAGE.format(f'<img src="/a.jpg" width="{"9" * 5000}">'),
    "image width in superscript digits": PAGE.format(f'<img src="/a.jpg" width="²">{TEXT}'),
    "unresolvable URLs": _page(
        f'<img src="http://[x/a.jpg"><a href="http://[y/b.pdf">b</a>{TEXT}',
        head='<base href="http://[::1"><link rel="canonical" href="http://[z/">',
    ),
    "json-ld nested past the decoder's limit": _page(
        TEXT, head='<script type="application/ld+json">' + "[" * 100_000 + "</script>"
    ),
    "json-ld @type nested deep": _page(
        TEXT,
        head='<script type="application/ld+json">{"@type": ' + "[" * 900 + "]" * 900 + "}</script>",
    ),
    "offset of 99 hours": _page(
        f'<time datetime="2020-02-28T09:15:00+99:00">28 feb</time>{TEXT}',
        head='<meta property="article:published_time" content="2020-02-28T09:15+99:99">',
    ),
    "empty document": "",
    "white space only": " \n\t ",
    "a NUL byte only": "\x00",
    "frameset": "<html><frameset><frame src='a.html'></frameset></html>",
    "text only": TEXT,
    "20,000 nested divs": _deep("<div>", 20_000),
    "20,000 nested spans": _deep("<span>", 20_000),
    "5,000 nested links and divs": _deep("<a href='/x'><div>", 5000),
    "5,000 nested table cells": _deep("<table><tr><td>", 5000),
    "5,000 nested share bars": _deep("<div class='share'>", 5000),
    "5,000 nested quote figures": _deep("<figure><blockquote>", 5000),
    "200,000 nested bold": _deep("<b>", 200_000),
}


@pytest.mark.parametrize("html", list(ODD_PAGES.values()), ids=list(ODD_PAGES))
def test_odd_markup_gives_a_release_or_a_reason(html: str) -> None:
    release = _outcome(extract_release, html)
    text = _outcome(body_text, html)
    assert isinstance(release, Release | ExtractError)
    assert isinstance(text, str | ExtractError)
    assert isinstance(page_blocks(html, URL), tuple)


@pytest.mark.parametrize(
    "case",
    [
        "php processing instruction",
        "xml processing instruction",
        "comments",
        "cdata",
        "nul bytes",
        "lone surrogates",
        "huge class attribute",
        "unresolvable URLs",
        "json-ld nested past the decoder's limit",
        "offset of 99 hours",
        "20,000 nested divs",
        "20,000 nested spans",
        "5,000 nested links and divs",
        "200,000 nested bold",
    ],
)
def test_odd_markup_keeps_the_text(case: str) -> None:
    """Markup around the text is no reason to lose the text, however deep it sits."""
    release = extract_release(ODD_PAGES[case], URL)
    assert release.title == "Ny förskola"
    assert TEXT in release.body
    assert "\x00" not in release.body and "\ud800" not in release.body
    assert TEXT in body_text(ODD_PAGES[case], URL)


def test_processing_instruction_is_no_text() -> None:
    html = PAGE.format("Kommunen bygger <?php echo $x; ?> en ny förskola.")
    assert extract_release(html, URL).body == "Kommunen bygger en ny förskola."


def test_unreadable_machine_dates_are_no_dates() -> None:
    release = extract_release(ODD_PAGES["offset of 99 hours"], URL)
    assert release.published is None


def test_page_too_deep_to_parse_is_refused_at_once() -> None:
    """The parser is quadratic in the nesting: 200,000 nested <div> would take minutes."""
    html = _deep("<div>", 200_000)
    assert parse_work(html) > MAX_PARSE_WORK
    for call in (extract_release, body_text):
        with pytest.raises(ExtractError, match="too deep") as info:
            call(html, URL)
        assert info.value.url == URL
    assert page_blocks(html, URL) == ()
    assert parse_work(_deep("<div>", 20_000)) <= MAX_PARSE_WORK
    # A long page of flat paragraphs, however many, is no deep page.
    assert parse_work(PAGE.format("<p>Text.</p>" * 50_000)) <= MAX_PARSE_WORK


def test_unexpected_exception_becomes_an_extract_error(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The safety net: a bug on one odd page is that page's ExtractError, chained."""
    import scraper.extract.release as release_module

    def broken(*args: object, **kwargs: object) -> None:
        raise TypeError("a bug")

    monkeypatch.setattr(release_module, "find_title", broken)
    with pytest.raises(ExtractError) as info:
        extract_release(PAGE.format(TEXT), URL)
    assert info.value.reason == f"{BUG_REASON}: TypeError: a bug"
    assert isinstance(info.value.__cause__, TypeError)


def test_one_unreadable_page_does_not_stop_a_site_template(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import scraper.extract.template as template_module

    real = template_module.page_blocks

    def flaky(html: str, url: str) -> tuple:
        if "trasig" in url:
            raise TypeError("a bug")
        return real(html, url)

    monkeypatch.setattr(template_module, "page_blocks", flaky)
    pages = [(f"https://e.se/{n}", PAGE.format(TEXT)) for n in range(3)]
    template = learn_template("e", [*pages, ("https://e.se/trasig", "")], now="2026-01-01")
    assert template.pages == 4 and template.repeated()


# --------------------------------------------------------------------------
# The fuzz corpus: 8 x 1,000 random pages, 4 x 500 broken fixture pages.

RANDOM_CHUNKS, RANDOM_PAGES = 8, 1000
FIXTURE_CHUNKS, FIXTURE_PAGES = 4, 500
#: Deepest nesting a mutation inserts here (the named cases above go to 200,000).
FUZZ_DEPTH = 1000


@cache
def fixture_pages() -> tuple[str, ...]:
    """Every HTML page of the fixture sites (releases, listings, others), decoded."""
    pages = []
    for site in sorted(SITES.iterdir()) if SITES.is_dir() else []:
        if not (site / "site.toml").is_file():
            continue
        charset = tomllib.loads((site / "site.toml").read_text("utf-8")).get("charset", "utf-8")
        paths = sorted((site / "public").rglob("*.html"))
        pages += [path.read_bytes().decode(charset) for path in paths]
    return tuple(pages)


def fuzz_page(kind: str, chunk: int, index: int) -> str:
    """Page ``index`` of a chunk of the corpus: the same page on every run and machine."""
    rng = random.Random(f"{kind}:{chunk}:{index}")
    if kind == "random":
        html = random_page(rng)
        return mutate(rng, html, deep=FUZZ_DEPTH) if rng.random() < 0.7 else html
    return mutate(rng, rng.choice(fixture_pages()), deep=FUZZ_DEPTH)


def _fuzz(kind: str, chunk: int, count: int) -> None:
    failures = []
    outcomes = {"release": 0, "extract error": 0}
    for index in range(count):
        html = fuzz_page(kind, chunk, index)
        for call in (extract_release, body_text):
            try:
                result = call(html, URL)
            except ExtractError as exc:
                if exc.__cause__ is not None or not exc.reason or exc.url != URL:
                    failures.append((index, call.__name__, exc.reason))
                outcomes["extract error"] += call is extract_release
                continue
            except Exception as exc:
                failures.append((index, call.__name__, repr(exc)[:200]))
                continue
            outcomes["release"] += call is extract_release
            assert isinstance(result, Release | str)
        if index % 5 == 0:
            try:
                page_blocks(html, URL)
            except Exception as exc:
                failures.append((index, "page_blocks", repr(exc)[:200]))
    # Reproduce one with tests/test_extract_robustness.py:fuzz_page(kind, chunk, index).
    assert failures == [], f"{kind} chunk {chunk}: {len(failures)} failures, first {failures[:5]}"
    # The corpus is no pile of rubbish only: most pages still hold a release.
    assert outcomes["release"] > count // 3, outcomes


@pytest.mark.parametrize("chunk", range(RANDOM_CHUNKS))
def test_fuzz_random_pages(chunk: int) -> None:
    _fuzz("random", chunk, RANDOM_PAGES)


@pytest.mark.parametrize("chunk", range(FIXTURE_CHUNKS))
def test_fuzz_broken_fixture_pages(chunk: int) -> None:
    if not fixture_pages():
        pytest.skip("no fixture sites")
    _fuzz("fixture", chunk, FIXTURE_PAGES)


def test_fuzz_pages_teach_a_template_without_raising() -> None:
    pages = [(f"https://e.se/{i}", fuzz_page("random", 0, i)) for i in range(60)]
    pages += [(f"https://e.se/f{i}", fuzz_page("fixture", 0, i)) for i in range(20)]
    assert learn_template("fuzz", pages, now="2026-01-01").pages == 80
