# ruff: noqa: E501  (the HTML template lines are long on purpose)
"""Simulated municipal web sites for the discovery benchmark (bench/discover.py).

``build_sites(root, count)`` writes ``count`` small sites, one folder per
host (``root/www.kommun-NNN.test/``, a document root for
``scraper.demo.sites.SiteInfo``), and returns each site's truth: where its
press releases are listed (or its news, for a site with no press releases),
which other URLs are as right (the listing's feed), and how the site is built.

A site is a home page with a realistic navigation (top menu of categories,
short cuts to services, an "Aktuellt" box, footer links and social media), the
category and service pages behind it, a news listing, decoys (press images,
events, job ads, a notice board, a press contact page) and, on most sites, a
press listing of 10 dated releases with a second page, reached at depth 1, 2
or 3 under one of the labels municipalities use. The URL style (Sitevision,
Episerver, WordPress) and the markup of listings and dates vary by site.
Everything is drawn from ``random.Random(seed + index)``: the same sites every run.
"""

from __future__ import annotations

import random
import re
from collections import deque
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from scraper.demo.sites import path_for_url

__all__ = ["SiteTruth", "build_sites"]

_STEMS = ("Al", "Björk", "Dal", "Ek", "Fors", "Gran", "Hag", "Lind", "Mo", "Norr",
          "Ros", "Sjö", "Sten", "Sund", "Tall", "Väster", "Ås", "Öster", "Berg", "Kvarn")  # fmt: skip
_ENDS = ("by", "vik", "hult", "torp", "ås", "fors", "holm", "ryd", "sjö", "dala",
         "köping", "näs", "berga", "mark", "stad", "ström")  # fmt: skip
# fmt: off
_CATEGORIES = {
    "Omsorg och stöd": ["Äldreomsorg", "Hemtjänst", "Funktionsnedsättning", "Ekonomiskt bistånd", "Stöd till anhöriga", "Missbruk och beroende", "Våld i nära relationer", "Färdtjänst"],
    "Skola och förskola": ["Förskola", "Grundskola", "Gymnasieskola", "Vuxenutbildning", "Skolskjuts", "Skolmat", "Fritidshem", "Kulturskolan"],
    "Bygga, bo och miljö": ["Bygglov", "Detaljplaner", "Avfall och återvinning", "Vatten och avlopp", "Miljö och hälsa", "Energirådgivning", "Lantmäteri", "Lediga tomter"],
    "Trafik och infrastruktur": ["Gator och vägar", "Parkering", "Kollektivtrafik", "Snöröjning", "Cykla", "Gatubelysning"],
    "Uppleva och göra": ["Bibliotek", "Idrottsanläggningar", "Badplatser", "Friluftsliv", "Föreningsliv", "Museum och kulturarv", "Turism"],
    "Näringsliv och arbete": ["Starta företag", "Upphandling", "Tillstånd för företag", "Företagslotsen", "Mark för företag"],
    "Kommun och politik": ["Kommunfullmäktige", "Kommunstyrelsen", "Nämnder", "Budget och ekonomi", "Kommunens organisation", "Statistik", "Synpunkter och klagomål", "Överklaga beslut", "Val"],
}
# fmt: on
_POLITICS = "Kommun och politik"
_HUB_LABELS = ("Press och media", "Press", "Pressrum", "För media", "Media och press",
               "Press och kommunikation", "Pressmaterial och extern kommunikation")  # fmt: skip
_LISTING_LABELS = ("Pressmeddelanden", "Alla pressmeddelanden", "Pressmeddelanden och pressinbjudningar", "Pressarkiv")  # fmt: skip
_DIRECT_LABELS = ("Pressmeddelanden", "Nyheter och pressmeddelanden", "Pressrum", "Press")
_NEWS_LABELS = ("Nyheter", "Nyhetsarkiv", "Aktuellt")
_MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december")  # fmt: skip
_SUBJECTS = ("Kommunstyrelsen", "Barn- och utbildningsnämnden", "Kommunen", "Socialnämnden",
             "Tekniska förvaltningen", "Kultur- och fritidsnämnden", "Miljö- och byggnämnden",
             "Räddningstjänsten", "Kommunfullmäktige", "Näringslivskontoret")  # fmt: skip
_ACTIONS = ("satsar på", "bygger ut", "utreder", "föreslår ny", "beslutar om", "inviger",
            "rustar upp", "tar fram en plan för", "söker synpunkter på", "startar")  # fmt: skip
_OBJECTS = ("förskolan i centrum", "gång- och cykelvägar", "badhuset", "biblioteket",
            "äldreboendet", "vattenverket", "idrottshallen", "bredbandet på landsbygden",
            "hamnen", "skolgårdarna", "gatubelysningen", "kollektivtrafiken", "ungdomsgården",
            "naturreservatet", "centrumplanen", "hemtjänsten")  # fmt: skip
_END = date(2025, 11, 20)


@dataclass
class SiteTruth:
    """One generated site and the answer discovery should give for it."""

    host: str
    name: str
    home: str
    #: "press" or "news_only", as ``Discovery.status`` says it.
    status: str
    #: The listing to crawl (page 1), absolute.
    source: str
    #: Other URLs as right (the listing's feed).
    acceptable: tuple[str, ...] = ()
    style: str = ""
    #: How the way to the source starts ("direct", "hub", "politics", "news").
    layout: str = ""
    #: Label of the link that leads to the source.
    label: str = ""
    #: Shortest click distance of the source from the home page (links as generated).
    depth: int = 0
    #: Releases the press hub shows (its "latest" box), 0 with no hub or no box.
    hub_latest: int = 0
    #: The press hub ("" with none) and the news listing, absolute: the likeliest wrong answers.
    hub: str = ""
    news: str = ""
    pages: int = 0

    @property
    def answers(self) -> set[str]:
        return {self.source, *self.acceptable}


def _slug(label: str, *, capital: bool = False) -> str:
    text = label.translate(str.maketrans("åäöÅÄÖé", "aaoAAOe"))
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")
    return text if capital else text.lower()


def _swedish(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


@dataclass
class _Site:
    rng: random.Random
    host: str
    name: str
    #: The town's name ("Björkby"), as the texts say it.
    town: str
    style: str  # "sitevision" | "episerver" | "wordpress"
    pages: dict[str, str] = field(default_factory=dict)
    nav: list[tuple[str, str]] = field(default_factory=list)
    footer: list[tuple[str, str]] = field(default_factory=list)

    def path(self, *labels: str) -> str:
        """The URL path of a page under the given labels, in the site's style."""
        if self.style == "sitevision":
            return "/" + "/".join(_slug(lab) for lab in labels) + ".html"
        if self.style == "episerver":
            return "/" + "/".join(_slug(lab, capital=True) for lab in labels) + "/"
        return "/" + "/".join(_slug(lab) for lab in labels) + "/"

    def child(self, parent: str, label: str, day: date | None = None) -> str:
        """The path of an item below ``parent`` (a release, a service page)."""
        folder = parent[: -len(".html")] if parent.endswith(".html") else parent.rstrip("/")
        if self.style == "sitevision":
            prefix = f"{day.isoformat()}-" if day else ""
            return f"{folder}/{prefix}{_slug(label)}.html"
        if self.style == "wordpress" and day is not None:
            return f"/{day:%Y/%m/%d}/{_slug(label)}/"
        return f"{folder}/{_slug(label, capital=self.style == 'episerver')}/"

    def page_two(self, listing: str) -> str:
        return listing + "page/2/" if self.style == "wordpress" else listing + "?page=2"

    def render(self, title: str, main: str, *, head: str = "") -> str:
        nav = "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in self.nav)
        foot = "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in self.footer)
        slug = self.host.split(".")[1]
        return (
            f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{title} - {self.name}</title>{head}</head>'
            f'<body><a class="skip" href="#main">Gå direkt till innehåll</a>'
            f'<header><a class="logo" href="/">{self.name}</a><form action="/sok/"><input name="q"><button>Sök</button></form>'
            f'<nav class="main-menu"><ul>{nav}</ul></nav></header><main id="main">{main}</main>'
            f"<footer><p>{self.name}, 123 45 {self.town}. Telefon 0123-45 67 00. Org.nr 212000-0000</p>"
            f'<ul class="footer-links">{foot}</ul><ul class="social"><li><a href="https://www.facebook.com/{slug}">Facebook</a></li>'
            f'<li><a href="https://www.instagram.com/{slug}">Instagram</a></li></ul></footer></body></html>'
        )

    def add(self, path: str, title: str, main: str, **kwargs: str) -> None:
        self.pages[path] = self.render(title, main, **kwargs)

    def text(self, words: int) -> str:
        picks = [self.rng.choice(_OBJECTS) for _ in range(words)]
        return " ".join(f"{self.town} {self.rng.choice(_ACTIONS)} {p}." for p in picks)


def _titles(rng: random.Random, count: int) -> list[str]:
    seen: set[str] = set()
    titles = []
    while len(titles) < count:
        title = f"{rng.choice(_SUBJECTS)} {rng.choice(_ACTIONS)} {rng.choice(_OBJECTS)}"
        if title not in seen:
            seen.add(title)
            titles.append(title)
    return titles


def _dates(rng: random.Random, count: int) -> list[date]:
    day, days = _END - timedelta(days=rng.randint(0, 10)), []
    for _ in range(count):
        days.append(day)
        day -= timedelta(days=rng.randint(2, 14))
    return days


def _item(site: _Site, href: str, title: str, day: date, lead: str) -> str:
    """One entry of a listing, in the site's markup."""
    if site.style == "sitevision":
        return f'<li class="sv-channel-item"><a href="{href}">{title}</a><p class="date">{day.isoformat()}</p><p>{lead}</p></li>'
    if site.style == "episerver":
        return f'<article class="news-item"><h2><a href="{href}">{title}</a></h2><time datetime="{day.isoformat()}">{_swedish(day)}</time><p>{lead}</p></article>'
    return f'<article class="post"><h2 class="entry-title"><a href="{href}">{title}</a></h2><div class="entry-meta">Publicerad {_swedish(day)}</div><p>{lead}</p></article>'


def _article(site: _Site, title: str, day: date, kind: str, back: tuple[str, str]) -> str:
    dateline = (
        f'<p class="date">Publicerad {day.isoformat()}</p>'
        if site.style != "episerver"
        else f'<time datetime="{day.isoformat()}T09:00:00+01:00">{_swedish(day)}</time>'
    )
    body = "".join(
        f"<p>{site.text(site.rng.randint(3, 5))}</p>" for _ in range(site.rng.randint(3, 5))
    )
    return (
        f'<article><p class="kind">{kind}</p><h1>{title}</h1>{dateline}<p class="lead">{site.text(2)}</p>{body}'
        f'<div class="contact"><h2>Kontakt</h2><p>Anna Andersson, kommunikatör, 0123-45 67 89</p></div></article>'
        f'<p><a href="{back[1]}">Tillbaka till {back[0].lower()}</a></p>'
    )


def _listing(
    site: _Site,
    path: str,
    label: str,
    kinds: tuple[str, ...],
    count: int,
    *,
    feed: str | None = None,
) -> list[tuple[str, str, date]]:
    """A dated listing at ``path`` (10 on page 1, the rest on page 2) and its item pages."""
    rng = site.rng
    items = []
    for title, day in zip(_titles(rng, count), _dates(rng, count), strict=True):
        href = site.child(path, title, day)
        while href in site.pages or any(href == h for h, _, _ in items):
            title += " igen"  # the same title on the same day in another listing
            href = site.child(path, title, day)
        items.append((href, title, day))
    second = site.page_two(path)
    head = (
        f'<link rel="alternate" type="application/rss+xml" title="{label}" href="{feed}">'
        if feed
        else ""
    )
    wrap = "ul" if site.style == "sitevision" else "div"
    for number, chunk, pager in (
        (
            1,
            items[:10],
            f'<nav class="pagination"><span>1</span> <a href="{second}">2</a> <a href="{second}">Nästa</a></nav>',
        ),
        (
            2,
            items[10:],
            f'<nav class="pagination"><a href="{path}">Föregående</a> <a href="{path}">1</a> <span>2</span></nav>',
        ),
    ):
        entries = "".join(_item(site, href, title, day, site.text(1)) for href, title, day in chunk)
        main = f'<h1>{label}</h1><{wrap} class="list">{entries}</{wrap}>{pager}'
        site.add(path if number == 1 else second, label, main, head=head)
    for href, title, day in items:
        site.add(href, title, _article(site, title, day, rng.choice(kinds), (label, path)))
    if feed:
        entries = "".join(
            f"<item><title>{t}</title><link>http://{site.host}{h}</link><pubDate>{d:%a, %d %b %Y} 09:00:00 +0100</pubDate></item>"
            for h, t, d in items[:10]
        )
        site.pages[feed] = (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{label} - {site.name}</title><link>http://{site.host}{path}</link>{entries}</channel></rss>'
        )
    return items


def _dated_pages(
    site: _Site, path: str, label: str, kind: str, count: int
) -> list[tuple[str, str, date]]:
    """A decoy listing of dated pages (events, job ads, notices) on one page."""
    rng = site.rng
    # fmt: off
    pool = {
        "Evenemang": ["Konsert i parken", "Loppmarknad", "Sagostund", "Guidad vandring", "Julmarknad", "Teater för barn", "Föreläsning", "Dansafton", "Skördefest", "Filmvisning"],
        "Lediga jobb": ["Undersköterska", "Lärare i matematik", "Förskollärare", "Enhetschef", "Systemförvaltare", "Byggnadsinspektör", "Socialsekreterare"],
        "Anslagstavla": ["Protokoll kommunstyrelsen", "Kungörelse detaljplan", "Protokoll barn- och utbildningsnämnden", "Kallelse kommunfullmäktige", "Protokoll socialnämnden", "Kungörelse bygglov"],
    }[kind]
    # fmt: on
    titles = rng.sample(pool, min(count, len(pool)))
    future = kind == "Evenemang"
    days = sorted(
        (
            _END + timedelta(days=rng.randint(-60, 90) if future else -rng.randint(1, 60))
            for _ in titles
        ),
        reverse=not future,
    )
    items = [(site.child(path, t), t, d) for t, d in zip(titles, days, strict=True)]
    entries = "".join(
        f'<li><a href="{h}">{t}</a> <span class="date">{d.isoformat()}</span></li>'
        for h, t, d in items
    )
    site.add(path, label, f'<h1>{label}</h1><ul class="list">{entries}</ul>')
    for href, title, day in items:
        site.add(
            href,
            title,
            f'<h1>{title}</h1><p>{day.isoformat()}</p><p>{site.text(3)}</p><p><a href="{path}">{label}</a></p>',
        )
    return items


def _depth(pages: dict[str, str], host: str, target: str) -> int:
    """Clicks from "/" to ``target`` over the generated links (-1: unreachable)."""
    seen, queue = {"/": 0}, deque(["/"])
    while queue:
        here = queue.popleft()
        if here == target:
            return seen[here]
        html = pages.get(here)
        if html is None or html.startswith("<?xml"):
            continue
        for node in LexborHTMLParser(html).css("a[href]"):
            url = urljoin(f"http://{host}{here}", node.attributes.get("href") or "")
            parts = urlsplit(url)
            if parts.hostname != host:
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path not in seen:
                seen[path] = seen[here] + 1
                queue.append(path)
    return -1


def _links(entries: list[tuple[str, str]]) -> str:
    return "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in entries)


def build_site(root: Path, index: int, *, seed: int = 2025) -> SiteTruth:
    """Write site number ``index`` under ``root/<host>/`` and return its truth."""
    rng = random.Random(seed + index)
    host = f"www.kommun-{index:03d}.test"
    stem = _STEMS[index % len(_STEMS)] + _ENDS[(index // len(_STEMS)) % len(_ENDS)]
    name = f"{stem} kommun" if stem.endswith("s") else f"{stem}s kommun"
    style = rng.choice(("sitevision", "episerver", "wordpress"))
    site = _Site(rng=rng, host=host, name=name, town=stem, style=style)
    layout = rng.choices(("direct", "hub", "politics", "news"), weights=(3, 4, 2, 1))[0]

    # Service pages: with the categories, footer pages and decoys, 30-60 pages
    # besides the home page, the news and the press releases.
    categories = list(_CATEGORIES)
    site.nav = [(c, site.path(c)) for c in categories]
    pool = [(c, s) for c in categories for s in _CATEGORIES[c]]
    count = min(len(pool), max(8, rng.randint(30, 60) - len(categories) - 5 - 18))
    services: dict[str, list[tuple[str, str]]] = {c: [] for c in categories}
    for cat, service in rng.sample(pool, count):
        services[cat].append((service, site.child(site.path(cat), service)))

    news_label = rng.choice(_NEWS_LABELS)
    news_path = site.path(news_label)
    contact, jobs = site.path("Kontakta oss"), site.path("Lediga jobb")
    events = site.path("Uppleva och göra", rng.choice(("Evenemang", "Kalender")))
    notices = site.path(_POLITICS, "Anslagstavla")
    site.footer = [("Kontakta oss", contact), ("Lediga jobb", jobs), ("Om webbplatsen", site.path("Om webbplatsen")),
                   ("Tillgänglighetsredogörelse", site.path("Tillgänglighetsredogörelse")), ("Kakor", site.path("Kakor"))]  # fmt: skip
    politics_extra: list[tuple[str, str]] = [("Anslagstavla", notices)]
    home_extra: list[tuple[str, str]] = []

    # Where the releases are, and the way there.
    status, acceptable, hub, hub_latest = "press", (), None, 0
    if layout == "news":
        status, label, source = "news_only", news_label, news_path
        media = site.path(_POLITICS, "Kontakt för media")
        site.add(
            media,
            "Kontakt för media",
            f"<h1>Kontakt för media</h1><p>Journalister når kommunens kommunikatörer på 0123-45 67 89.</p><p>{site.text(2)}</p>",
        )
        politics_extra.append(("Kontakt för media", media))
    elif layout == "direct":
        label = rng.choice(_DIRECT_LABELS)
        source = site.path(label)
        home_extra.append((label, source))
        if rng.random() < 0.5:
            site.footer.insert(1, (label, source))
    else:
        hub_label, label = rng.choice(_HUB_LABELS), rng.choice(_LISTING_LABELS)
        hub = site.path(_POLITICS, hub_label) if layout == "politics" else site.path(hub_label)
        source = site.child(hub, label)
        politics_extra.append((hub_label, hub))
        if layout == "hub":
            site.footer.insert(1, (hub_label, hub))
    feed = None
    if status == "press" and rng.random() < 0.25:
        feed = (
            source[: -len(".html")] if source.endswith(".html") else source.rstrip("/")
        ) + "/rss.xml"
        acceptable = (f"http://{host}{feed}",)

    # Listings: news on every site (the home page's "Aktuellt" box shows the
    # latest), press releases unless news-only; a mixed listing is both.
    mixed = label == "Nyheter och pressmeddelanden"
    releases: list[tuple[str, str, date]] = []
    if status == "press":
        kinds = ("Nyhet", "Pressmeddelande") if mixed else ("Pressmeddelande",)
        releases = _listing(site, source, label, kinds, rng.randint(14, 16), feed=feed)
    news_items = releases
    if not mixed:
        news_items = _listing(site, news_path, news_label, ("Nyhet",), rng.randint(8, 12))
        if layout == "news" or rng.random() < 0.7:
            home_extra.insert(0, (news_label if layout == "news" else "Alla nyheter", news_path))
        else:
            site.nav.append((news_label, news_path))
    if hub is not None:
        contacts, images = site.child(hub, "Presskontakter"), site.child(hub, "Pressbilder")
        images_label = rng.choice(("Pressbilder", "Bildbank"))
        # Many hubs show the latest few releases, some none.
        hub_latest = rng.choice((0, 2, 3, 4))
        latest = "".join(
            f'<li><a href="{h}">{t}</a> {_swedish(d)}</li>' for h, t, d in releases[:hub_latest]
        )
        site.add(hub, hub_label,
                 f"<h1>{hub_label}</h1><p>Här hittar du som journalist material om {name}.</p>"
                 f"<ul>{_links([(label, source), ('Presskontakter', contacts), (images_label, images)])}</ul>"
                 + (f"<h2>Senaste pressmeddelanden</h2><ul>{latest}</ul>" if hub_latest else ""))  # fmt: skip
        site.add(
            contacts,
            "Presskontakter",
            "<h1>Presskontakter</h1><p>Kommunikationschef Bertil Berg, 0123-45 67 01.</p><p>Presstelefon 0123-45 67 00, vardagar 8-17.</p>",
        )
        dated = rng.random() < 0.5
        folder = images[: -len(".html")] if images.endswith(".html") else images.rstrip("/")
        figures = "".join(
            f'<figure><a href="{folder}/bild-{n}.jpg"><img src="{folder}/bild-{n}.jpg" alt="Bild {n}"></a>'
            f"<figcaption>{rng.choice(_OBJECTS).capitalize()}{', fotograferad ' + (_END - timedelta(days=40 * n)).isoformat() if dated else ''}. Foto: {name}</figcaption></figure>"
            for n in range(rng.randint(6, 10))
        )
        site.add(
            images,
            images_label,
            f"<h1>{images_label}</h1><p>Bilderna får användas fritt i redaktionellt syfte.</p>{figures}",
        )

    # Decoys: dated pages that are no releases.
    event_items = _dated_pages(site, events, "Evenemang", "Evenemang", rng.randint(5, 8))
    job_items = _dated_pages(site, jobs, "Lediga jobb", "Lediga jobb", rng.randint(3, 5))
    _dated_pages(site, notices, "Anslagstavla", "Anslagstavla", rng.randint(3, 5))

    # Category pages, and service pages that link to a few others of their category.
    for cat in categories:
        own = services[cat]
        extra = [("Evenemang", events)] if cat == "Uppleva och göra" else []
        extra += politics_extra if cat == _POLITICS else []
        site.add(
            site.path(cat),
            cat,
            f'<h1>{cat}</h1><p>{site.text(2)}</p><ul class="sub-pages">{_links(own + extra)}</ul>',
        )
        for service, href in own:
            related = [e for e in rng.sample(own, min(len(own), rng.randint(2, 4))) if e[1] != href]
            body = "".join(
                f"<p>{site.text(rng.randint(2, 4))}</p>" for _ in range(rng.randint(2, 4))
            )
            site.add(
                href,
                service,
                f'<h1>{service}</h1>{body}<h2>Relaterade sidor</h2><ul>{_links(related)}</ul><p><a href="{contact}">Kontakta oss</a></p>',
            )
    for title, href in site.footer:
        if href not in site.pages:
            site.add(href, title, f"<h1>{title}</h1><p>{site.text(3)}</p>")

    # The home page: menu, short cuts, the latest news, events, footer: 20-40 links.
    every = [s for c in categories for s in services[c]]
    shortcuts = rng.sample(every, min(len(every), rng.randint(6, 10)))
    latest = "".join(
        f'<li><a href="{h}">{t}</a> <span class="date">{d.isoformat()}</span></li>'
        for h, t, d in news_items[:3]
    )
    more = "".join(f'<a class="more" href="{h}">{t}</a> ' for t, h in home_extra)
    upcoming = "".join(
        f'<li><a href="{h}">{t}</a> {_swedish(d)}</li>' for h, t, d in event_items[:2]
    )
    site.add("/", "Startsida",
             f'<h1 class="visually-hidden">{name}</h1><section class="shortcuts"><h2>Genvägar</h2><ul>{_links(shortcuts)}</ul></section>'
             f'<section class="news"><h2>Aktuellt</h2><ul>{latest}</ul>{more}</section>'
             f'<section class="events"><h2>Evenemang</h2><ul>{upcoming}</ul><a href="{events}">Alla evenemang</a></section>'
             f'<section class="jobs"><a href="{jobs}">{len(job_items)} lediga jobb just nu</a></section>')  # fmt: skip

    folder = root / host
    folder.mkdir(parents=True)
    (folder / "robots.txt").write_text("User-agent: *\nDisallow: /sok/\n", "utf-8")
    for path, html in site.pages.items():
        parts = urlsplit(path)
        target = path_for_url(folder, parts.path, parts.query)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, "utf-8")
    return SiteTruth(
        host=host,
        name=name,
        home=f"http://{host}/",
        status=status,
        source=f"http://{host}{source}",
        acceptable=acceptable,
        style=style,
        layout=layout,
        label=label,
        depth=_depth(site.pages, host, source),
        hub_latest=hub_latest,
        hub=f"http://{host}{hub}" if hub else "",
        news=f"http://{host}{news_path}",
        pages=sum(1 for html in site.pages.values() if not html.startswith("<?xml")),
    )


def build_sites(root: Path, count: int, *, seed: int = 2025) -> list[SiteTruth]:
    """Write ``count`` sites under ``root`` (one folder per host) and return their truths."""
    return [build_site(root, index, seed=seed) for index in range(count)]
