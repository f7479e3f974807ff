"""Off-site newsroom platforms: Mynewsdesk, Via TT, Cision, Notified, NewsMachine (pure).

``recognise_newsroom`` tells from a URL (its host *and* its path) which
platform a page belongs to and derives, by the platform's conventions, the
newsroom's start page, its press-release listing and its feeds; given the
page's HTML it adds the feeds the page announces, the organisation the page
names, and recognises a platform by its markup where the host is a custom
domain. ``newsroom_names_organisation`` says whether a newsroom belongs to
the municipality we look for and not to a party or a municipal company.
"""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from scraper.records import Newsroom, OrganisationMatch

from .feeds import find_feeds_in_tree
from .names import page_names, same_organisation
from .platforms import (
    NOTIFIED_ID_RE,
    PLATFORM_WORDS,
    NewsroomParts,
    newsroom_parts,
    notified_feed,
    platform_of_host,
)
from .text import node_text
from .urls import normalize_url

__all__ = ["MARKUP_THRESHOLD", "newsroom_names_organisation", "recognise_newsroom"]

#: Score of markup evidence at which a page on another host is taken for a platform:
#: more than a "served by" sign (meta, footer) alone or a widget's assets alone.
MARKUP_THRESHOLD = 3.5
#: Points of a platform asset by tag: a widget on a municipal page brings scripts.
_ASSET_POINTS = {"link": 1.5, "script": 1.0, "img": 0.5}
_SERVED_BY_RE = re.compile(
    r"(powered by|drivs av|levereras av|en tjänst från|a service by)\s+"
    r"(my\s?newsdesk|via tt|cision|notified|(?:news|press)machine)",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------
# Markup: a platform page on a custom domain, and what any platform page adds


def _markup_platform(tree: LexborHTMLParser, url: str) -> tuple[str, float, list[str]] | None:
    """The platform a page's markup shows most of, with its score and evidence."""
    scores: dict[str, float] = {}
    why: dict[str, list[str]] = {}
    counted: set[str] = set()

    def add(platform: str, points: float, line: str) -> None:
        if line not in counted:  # each sign counts once, however often it shows
            counted.add(line)
            scores[platform] = scores.get(platform, 0.0) + points
            why.setdefault(platform, []).append(f"{line} (+{points:g})")

    for meta in tree.css("meta[content]"):
        key = (meta.attributes.get("name") or meta.attributes.get("property") or "").lower()
        content = meta.attributes.get("content") or ""
        for platform, words in PLATFORM_WORDS.items():
            if key in {"generator", "application-name", "author", "og:site_name"} and (
                words.search(content)
            ):
                add(platform, 3, f"meta {key} {content!r}")
    own_host = (urlsplit(url).hostname or "").lower()
    for node in tree.css("link[href], script[src], img[src]"):
        rel = (node.attributes.get("rel") or "").lower()
        if node.tag == "link" and "stylesheet" not in rel and "icon" not in rel:
            continue  # an announced feed or a canonical says nothing about who serves the page
        ref = node.attributes.get("href") or node.attributes.get("src") or ""
        host = (urlsplit(normalize_url(ref, url) or "").hostname or "").lower()
        platform = platform_of_host(host)
        if platform and host != own_host:
            add(platform, _ASSET_POINTS[node.tag], f"{node.tag} from {host}")
    for node in tree.css("footer, [class*=footer], [class*=powered], [id*=footer]"):
        for match in _SERVED_BY_RE.finditer(node_text(node)):
            for platform, words in PLATFORM_WORDS.items():
                if words.search(match.group(2)):
                    add(platform, 3, f"footer says {match.group(0)!r}")
    if not scores:
        return None
    platform = max(scores, key=lambda p: scores[p])
    return platform, scores[platform], why[platform]


def _canonical(tree: LexborHTMLParser, url: str) -> str | None:
    for node in tree.css('link[rel="canonical"][href], meta[property="og:url"][content]'):
        ref = node.attributes.get("href") or node.attributes.get("content") or ""
        target = normalize_url(ref, url)
        if target and target != url:
            return target
    return None


def _organisation_name(tree: LexborHTMLParser, page: str) -> tuple[str | None, str | None]:
    for where, name in page_names(tree):
        # A release page's h1 is the release's title, not the newsroom's name.
        if where == "h1" and page not in {"home", "listing"}:
            continue
        return name, where
    return None, None


def recognise_newsroom(url: str, html: str | None = None) -> Newsroom | None:
    """Return the newsroom platform ``url`` (and its page) belongs to, or None.

    :param url: any URL of the newsroom: its start page, listing, a release, a feed.
    :param html: the page's text, when fetched: adds its announced feeds and the
        organisation's name, and recognises platforms on custom domains by
        their markup (asset hosts, "Powered by ...", canonical URL).
    """
    parts = newsroom_parts(url)
    tree = LexborHTMLParser(html) if html else None
    evidence: list[str] = []
    if parts is None and tree is not None:
        canonical = _canonical(tree, url)
        parts = newsroom_parts(canonical) if canonical else None
        if parts is not None:
            evidence.append(f"canonical URL {canonical} is on the platform")
        else:
            found = _markup_platform(tree, url)
            if found is None or found[1] < MARKUP_THRESHOLD:
                return None
            platform, _score, lines = found
            parts = _custom_domain(platform, url)
            evidence += lines
    if parts is None:
        return None
    evidence = [*parts.evidence, *evidence]
    feeds: list[str] = []
    home, account, name = parts.home, parts.account, None
    if tree is not None:
        feeds = list(find_feeds_in_tree(tree, url))
        if feeds:
            evidence.append(f"{len(feeds)} feed(s) announced by the page")
        if parts.platform == "viatt" and parts.account is None:
            link = tree.css_first('a[href*="/pressrum/"]')
            href = normalize_url(link.attributes.get("href") or "", url) if link else None
            newsroom = newsroom_parts(href) if href else None
            if newsroom is not None:
                # The newsroom of this page; the page is still what it was (a release).
                parts = replace(newsroom, page=parts.page)
                home, account = newsroom.home, newsroom.account
                evidence.append(f"page links to its newsroom {home}")
        if parts.platform == "notified" and not parts.feeds:
            match = NOTIFIED_ID_RE.search(html or "")
            if match:
                account = match.group(1)
                guess = notified_feed(urlsplit(url).scheme or "https", account)
                parts = replace(parts, feeds=(guess,))
                evidence.append(f"Notified newsroom id {account} in the page")
        name, where = _organisation_name(tree, parts.page)
        if name:
            evidence.append(f"organisation {name!r} from {where}")
    for guess in parts.feeds:
        if guess not in feeds:
            feeds.append(guess)
            evidence.append(f"feed by the platform's convention (unverified): {guess}")
    return Newsroom(
        platform=parts.platform,
        home=home,
        press_listing=parts.listing,
        feed_urls=tuple(feeds),
        organisation_name=name,
        account=account,
        page=parts.page,
        evidence=tuple(evidence),
    )


def _custom_domain(platform: str, url: str) -> NewsroomParts:
    """A platform newsroom under the organisation's own host (press.kommun.se)."""
    split = urlsplit(url)
    root = f"{split.scheme}://{split.netloc}"
    listing = {"mynewsdesk": f"{root}/pressreleases", "notified": f"{root}/posts/pressreleases"}
    feeds = {"mynewsdesk": (f"{root}/pressreleases.rss",)}
    return NewsroomParts(
        platform,
        root + "/",
        listing.get(platform, root + "/"),
        feeds.get(platform, ()),
        None,
        "other",
        (f"{platform} newsroom on its own domain {split.netloc} (by markup)",),
    )


def newsroom_names_organisation(
    html: str, name: str, *, url: str | None = None
) -> OrganisationMatch:
    """Whether the newsroom page names ``name`` as its owner (not a party, company ...).

    Compares the names the page gives itself (og:site_name, an "Om X" heading,
    h1, logo, title) with ``name`` by their cores ("Björkby kommun" =
    "Björkbys kommun" = "Björkby"; "Björkby Energi AB", "Socialdemokraterna i
    Björkby", "Björkbybostäder" and "Region Björkby" differ). With no name on
    the page, the newsroom's slug in ``url`` is compared instead.
    """
    names = list(page_names(LexborHTMLParser(html or "")))
    if url and not names:
        parts = newsroom_parts(url)
        slug = (parts.slug or parts.account) if parts is not None else None
        if slug and not slug.isdigit():
            names.append(("slug", slug))
    evidence: list[str] = []
    for where, candidate in names:
        same, why = same_organisation(name, candidate)
        evidence.append(f"{where}: {why}")
        if same:
            return OrganisationMatch(same=True, name=candidate, evidence=tuple(evidence))
    if not names:
        evidence.append("the page names no organisation")
    best = names[0][1] if names else None
    return OrganisationMatch(same=False, name=best, evidence=tuple(evidence))
