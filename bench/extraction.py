"""Extraction benchmark (issue 3): ours beside trafilatura, in one run.

1. Fixture sites: for every release with an expectation, body token
   precision/recall/F1 (bag of ``\\w+`` tokens of lead + body, macro over
   releases; trafilatura cannot tell a lead from a body, so both are scored on
   the two together), exact-body share (ours: body alone after collapsing
   white space), share of releases with a boilerplate.txt line in the text
   and the number of such leaks, title / kind / published accuracy, and
   pages per second (best CPU time of 3 runs per page; template learning is
   timed apart). Ours runs with the site's template learned from all its
   pages ("template") and with no site knowledge ("single page"). Holdout
   sites (``holdout = true``) are left out unless ``--holdout`` is given,
   and are then reported in their own rows.
2. The public benchmark in ../shared/extraction-benchmark, single-page mode,
   scored by its own evaluate.py: ``scraper.extract:body_text`` beside
   ``bench.adapters:trafilatura_fast``.

    python bench/extraction.py                 # both parts, holdout sites left out
    python bench/extraction.py --holdout       # also the holdout sites (report separately)
    python bench/extraction.py --skip-public   # fixture sites only
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scraper.demo.sites import path_for_url  # noqa: E402
from scraper.extract.release import body_text, extract_release  # noqa: E402
from scraper.extract.template import learn_template  # noqa: E402
from scraper.records import Source  # noqa: E402

SITES = ROOT / "fixtures" / "sites"
PUBLIC_BENCHMARK = ROOT.parent / "shared" / "extraction-benchmark"
BASE = "http://fixture.test"
_WORD = re.compile(r"\w+")


def _collapse(text: str | None) -> str:
    return " ".join((text or "").split())


def _url_for_file(public: Path, path: Path) -> str:
    """The fixture URL of a file under public/ (inverse of localsites.path_for_url)."""
    rel = path.relative_to(public).as_posix()
    stem, _, ext = rel.rpartition(".")
    query = ""
    if "__" in stem.rsplit("/", 1)[-1]:
        stem, query = stem.rsplit("__", 1)
        rel = f"{stem}.{ext}"
    if rel == "index.html" or rel.endswith("/index.html"):
        rel = rel[: -len("index.html")]
    return f"{BASE}/{rel}" + (f"?{query}" if query else "")


def _release_html(folder: Path, path: str, charset: str) -> str:
    """The HTML the fixture server answers for a release path ("/a/b" may be a folder)."""
    parts = urlsplit(path)
    target = path_for_url(folder / "public", parts.path, parts.query)
    if target.is_dir():
        target = target / "index.html"
    return target.read_bytes().decode(charset)


def _token_scores(truth: str, predicted: str) -> tuple[float | None, float | None]:
    t, p = Counter(_WORD.findall(truth)), Counter(_WORD.findall(predicted))
    common = sum((t & p).values())
    n_t, n_p = sum(t.values()), sum(p.values())
    return (common / n_p if n_p else None), (common / n_t if n_t else None)


@dataclass
class Score:
    """Accumulated figures of one extractor on one group of sites."""

    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    releases: int = 0
    exact: int = 0
    leaky: int = 0
    leaks: int = 0
    title: int = 0
    kind: int = 0
    published: int = 0
    day: int = 0
    seconds: float = 0.0

    def f1(self) -> tuple[float, float, float]:
        p = sum(self.precision) / len(self.precision) if self.precision else 0.0
        r = sum(self.recall) / len(self.recall) if self.recall else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Site:
    name: str
    holdout: bool
    pages: list[tuple[str, str]]
    releases: list[dict]
    boilerplate: list[str]
    source: Source


def load_sites(*, holdout: bool) -> list[Site]:
    sites = []
    for folder in sorted(SITES.iterdir()) if SITES.is_dir() else []:
        if not (folder / "site.toml").is_file():
            continue
        config = tomllib.loads((folder / "site.toml").read_text(encoding="utf-8"))
        if config.get("holdout") and not holdout:
            continue
        public = folder / "public"
        charset = config.get("charset", "utf-8")
        pages = [
            (_url_for_file(public, path), path.read_bytes().decode(charset))
            for path in sorted(public.rglob("*.html"))
        ]
        releases = [
            json.loads(path.read_text(encoding="utf-8"))
            for path in sorted((folder / "expected").glob("*.json"))
        ]
        for release in releases:
            release["html"] = _release_html(folder, release["path"], charset)
        lines = (folder / "boilerplate.txt").read_text(encoding="utf-8").splitlines()
        source = Source(
            id=folder.name,
            name=config["name"],
            url=BASE + config["listing"],
            default_kind=config.get("default_kind"),
        )
        sites.append(
            Site(
                folder.name,
                bool(config.get("holdout")),
                pages,
                releases,
                [_collapse(line) for line in lines if line.strip()],
                source,
            )
        )
    return sites


def _record(score: Score, expected: dict, *, text: str, body: str | None, fields: dict) -> None:
    truth = _collapse(f"{expected.get('lead') or ''} {expected['body']}")
    precision, recall = _token_scores(truth, text)
    if precision is not None:
        score.precision.append(precision)
    if recall is not None:
        score.recall.append(recall)
    score.releases += 1
    score.exact += body is not None and _collapse(body) == _collapse(expected["body"])
    score.title += fields.get("title") == expected["title"]
    score.kind += fields.get("kind", object()) == expected["kind"]
    published = fields.get("published") or ""
    score.published += published == expected["published"]
    score.day += published[:10] == (expected["published"] or "")[:10]


def _leaks(site: Site, text: str) -> int:
    collapsed = _collapse(text)
    return sum(1 for line in site.boilerplate if line in collapsed)


REPEAT = 3


def _timed(call):  # type: ignore[no-untyped-def]
    """Result of ``call()`` and its best CPU time over ``REPEAT`` runs (pages are tiny)."""
    best = float("inf")
    for _ in range(REPEAT):
        start = time.process_time()
        result = call()
        best = min(best, time.process_time() - start)
    return result, best


def run_ours(site: Site, score: Score, *, with_template: bool) -> None:
    template = None
    if with_template:
        template = learn_template(site.name, site.pages, now="2026-01-01T00:00:00Z")
    for expected in site.releases:
        url = BASE + expected["path"]
        html = expected["html"]
        release, seconds = _timed(
            lambda html=html, url=url: extract_release(
                html, url, template=template, source=site.source
            )
        )
        score.seconds += seconds
        text = f"{release.lead or ''} {release.body}"
        leaks = _leaks(site, text)
        score.leaks += leaks
        score.leaky += leaks > 0
        fields = {"title": release.title, "kind": release.kind, "published": release.published}
        _record(score, expected, text=text, body=release.body, fields=fields)


def run_trafilatura(site: Site, score: Score) -> None:
    import trafilatura

    for expected in site.releases:
        url = BASE + expected["path"]
        html = expected["html"]
        text, seconds = _timed(
            lambda html=html, url=url: trafilatura.extract(
                html, url=url, include_comments=False, fast=True
            )
        )
        text = text or ""
        score.seconds += seconds
        document = trafilatura.bare_extraction(
            html, url=url, include_comments=False, fast=True, with_metadata=True
        )
        title = getattr(document, "title", None)
        published = getattr(document, "date", None)
        leaks = _leaks(site, text)
        score.leaks += leaks
        score.leaky += leaks > 0
        _record(
            score, expected, text=text, body=None, fields={"title": title, "published": published}
        )


def _row(label: str, score: Score, *, kind: bool = True, exact: bool = True) -> str:
    p, r, f1 = score.f1()
    n = score.releases or 1
    pps = score.releases / score.seconds if score.seconds else 0.0
    share = f"{score.exact / n:.2f}" if exact else "n/a"
    return (
        f"| {label} | {score.releases} | {p:.3f} | {r:.3f} | {f1:.3f} | "
        f"{share} | {score.leaky / n:.2f} ({score.leaks}) | "
        f"{score.title / n:.2f} | {(f'{score.kind / n:.2f}' if kind else 'n/a')} | "
        f"{score.published / n:.2f} | {score.day / n:.2f} | {pps:,.0f} |"
    )


HEADER = (
    "| extractor | releases | P | R | F1 | body exact | leaky releases (leaks) | title | kind "
    "| published | published day | pages/s |\n|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def fixture_tables(*, holdout: bool, per_site: bool) -> None:
    sites = load_sites(holdout=holdout)
    groups = [("development sites", [s for s in sites if not s.holdout])]
    if holdout:
        groups.append(("HOLDOUT sites", [s for s in sites if s.holdout]))
    for label, group in groups:
        if not group:
            continue
        print(f"\n### Fixture releases, {label}: {', '.join(s.name for s in group)}\n")
        print(HEADER)
        totals = {"ours (template)": Score(), "ours (single page)": Score(), "trafilatura": Score()}
        for site in group:
            scores = {key: Score() for key in totals}
            run_ours(site, scores["ours (template)"], with_template=True)
            run_ours(site, scores["ours (single page)"], with_template=False)
            run_trafilatura(site, scores["trafilatura"])
            for key, score in scores.items():
                _merge(totals[key], score)
                if per_site:
                    is_traf = key == "trafilatura"
                    print(_row(f"{site.name}: {key}", score, kind=not is_traf, exact=not is_traf))
        for key, score in totals.items():
            is_traf = key == "trafilatura"
            print(_row(f"**all: {key}**", score, kind=not is_traf, exact=not is_traf))
        pages = sum(len(site.pages) for site in group)
        _, seconds = _timed(
            lambda group=group: [learn_template(s.name, s.pages, now="x") for s in group]
        )
        print(
            f"\nTemplate learning: {pages} pages in {seconds * 1000:.0f} ms CPU "
            f"({pages / seconds:,.0f} pages/s)."
        )


def _merge(total: Score, score: Score) -> None:
    total.precision += score.precision
    total.recall += score.recall
    for name in ("releases", "exact", "leaky", "leaks", "title", "kind", "published", "day"):
        setattr(total, name, getattr(total, name) + getattr(score, name))
    total.seconds += score.seconds


def public_table(*, n_bootstrap: int, folder: Path) -> None:
    evaluate = folder / "evaluate.py"
    if not evaluate.is_file():
        print(f"\n(public benchmark not found at {folder})")
        return
    print("\n### Public benchmark (single-page mode, evaluate.py)\n")
    command = [
        sys.executable, "-W", "ignore", str(evaluate), "--path", str(ROOT),
        "--n-bootstrap", str(n_bootstrap),
        "-e", "scraper.extract:body_text", "-e", "bench.adapters:trafilatura_fast",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    print(result.stdout.rstrip())
    if result.returncode:
        print(result.stderr.rstrip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--holdout", action="store_true", help="also the holdout sites")
    parser.add_argument("--per-site", action="store_true", help="one row per site as well")
    parser.add_argument("--skip-public", action="store_true", help="fixture sites only")
    parser.add_argument("--skip-fixtures", action="store_true", help="public benchmark only")
    parser.add_argument("--n-bootstrap", type=int, default=1000)
    parser.add_argument(
        "--public-dir", type=Path, default=PUBLIC_BENCHMARK, help="extraction-benchmark folder"
    )
    args = parser.parse_args(argv)
    body_text("<p>warm up</p>", "http://warm.up/")
    if not args.skip_fixtures:
        fixture_tables(holdout=args.holdout, per_site=args.per_site)
    if not args.skip_public:
        public_table(n_bootstrap=args.n_bootstrap, folder=args.public_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
