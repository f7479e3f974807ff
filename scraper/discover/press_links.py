"""Signposts to a municipality's releases: every link and feed of a page, scored (pure).

``score_links`` scores every link of a page (navigation, footer and body
alike) as a way to the municipality's press releases: press above news,
hubs ("Press och media") above news listings, contact pages low but
positive (they often link on to the releases), decoys below zero.
``page_feeds`` does the same for the feeds a page announces and the feeds
its CMS or newsroom platform has by convention. The rules are data in
``signs``; every candidate carries the rules that gave its points.

Scoring, in short:

* the link's label, matched as a whole (``signs.LABEL_RULES``): press-release
  listing 10, press hub 8-8.5, news listing 5-5.5, press contact page 1.5;
  "Alla ..." +0.5;
* the last path segment's words: +2 press releases, +1.5 press, +1 news
  (three times that when the label says nothing, "Visa alla");
* an off-site newsroom (``platforms``): 9, or 6 for one of its releases;
  +1.5 when it names ``organisation``, -2 when it names none;
* a feed 4 (+ its words), an XML sitemap 3, an HTML site map 2;
* a release rather than a listing (dated URL, long slug) -4; a title-like
  label -1; off-site -2;
* a decoy (``signs.DECOYS``: press images, magazines, "Kommunen svarar",
  notice boards, parties, companies, language, login, cookies, events,
  social media) caps the score at its (negative) points.
"""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.dates import date_from_url
from scraper.records import LinkCandidate

from .cms import detect_cms
from .feeds import FEED_TYPES
from .names import fold, same_organisation
from .newsrooms import recognise_newsroom
from .platforms import newsroom_parts
from .signs import PATH_RULES, decoy, match_label, path_words
from .text import clean_text, node_text
from .urls import base_url, canonical_url, normalize_url, same_site

__all__ = ["SOCIAL_HOSTS", "page_feeds", "score_link", "score_links"]

#: Hosts of social media: never where releases are listed.
SOCIAL_HOSTS = frozenset(
    {"facebook.com", "instagram.com", "twitter.com", "x.com", "linkedin.com", "youtube.com",
     "tiktok.com", "flickr.com", "vimeo.com", "threads.net", "bsky.app", "pinterest.com"}
)  # fmt: skip
_FEED_URL_RE = re.compile(
    r"\.(?:rss|atom)$|/(?:feed|rss|atom)/?$|[?&](?:format|type|state)=(?:rss|atom)|rss\.xml$",
    re.IGNORECASE,
)
_SITEMAP_URL_RE = re.compile(r"sitemap[^/]*\.xml(?:\.gz)?$", re.IGNORECASE)
_SITEMAP_LABEL_RE = re.compile(r"^(?:webbplatskarta|sitemap|site map|innehållsförteckning)$", re.I)
#: Tie-breaks between equal scores.
_KIND_ORDER = {"listing": 0, "newsroom": 1, "hub": 2, "feed": 3, "sitemap": 4, "other": 5}
_REGION_TAGS = {"nav": "nav", "header": "header", "footer": "footer", "aside": "aside"}


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _is_social(url: str) -> bool:
    host = _host(url)
    return any(host == h or host.endswith("." + h) for h in SOCIAL_HOSTS)


def _release_like(url: str) -> str | None:
    """Why ``url`` looks like one release rather than a listing, or None."""
    if date_from_url(url):
        return "a dated URL"
    words = path_words(url).split()
    if len(words) >= 6:
        return "a long slug"
    return None


def score_link(
    url: str, label: str, *, page_url: str, organisation: str | None = None
) -> LinkCandidate:
    """Score one link (absolute ``url`` with its ``label``) found on ``page_url``."""
    return _assess(url, label, page_url=page_url, organisation=organisation)


def _assess(
    url: str,
    label: str,
    *,
    page_url: str,
    organisation: str | None = None,
    feed: tuple[float, str] | None = None,
) -> LinkCandidate:
    """``score_link``; ``feed`` (points, how) when ``url`` is known to be a feed."""
    points: list[tuple[float, str]] = []
    kind, platform = "other", None
    label = clean_text(label)
    matched = match_label(_feed_title_part(label) if feed is not None else label)
    rule = matched.rule
    newsroom = newsroom_parts(url)
    on_site = same_site(url, page_url)
    slug = None
    if newsroom is not None and not on_site:
        platform, slug = newsroom.platform, newsroom.slug or newsroom.account
    if feed is not None:
        kind = "feed"
        points.append(feed)
        if platform:
            points.append((3.0, f"the feed of a {platform} newsroom: {newsroom.home}"))
    elif platform:
        kind = "newsroom"
        base = 9.0 if newsroom.page in {"home", "listing", "feed"} else 6.0
        points.append((base, f"{platform} newsroom ({newsroom.page}): {newsroom.home}"))
    elif _FEED_URL_RE.search(url):
        kind = "feed"
        points.append((4.0, "a feed URL"))
    elif _SITEMAP_URL_RE.search(urlsplit(url).path):
        kind = "sitemap"
        points.append((3.0, "an XML sitemap"))
    elif _SITEMAP_LABEL_RE.match(label):
        kind = "sitemap"
        points.append((2.0, f"label {label!r}: an HTML site map"))
    if platform and organisation:
        points.append(_names_organisation(organisation, label, slug))
    if rule is not None:
        if kind in {"other", "sitemap"}:
            kind = rule.kind
            points.append((rule.points, f"label {label!r}: {rule.says}"))
        else:
            # A feed or newsroom link that says "Pressmeddelanden" beats one that says "Nyheter".
            bonus = 3.0 if rule.topic in {"press", "mixed"} or rule.kind == "hub" else 1.0
            points.append((bonus, f"label {label!r}: {rule.says}"))
        if matched.all_of_them:
            points.append((0.5, "label says all of them ('Alla ...')"))
    elif matched.title_like:
        points.append((-1.0, f"label {label[:60]!r} reads like a title, not a signpost"))
    words = path_words(url)
    release_like = _release_like(url)
    # The slug of one release ("pressmeddelande-ny-forskola") names no listing.
    for path_rule in () if matched.title_like or release_like else PATH_RULES:
        if path_rule.kind != "decoy" and path_rule.pattern.search(words):
            weight = 3.0 if rule is None and kind == "other" else 1.0
            if kind == "other":
                kind = path_rule.kind
            points.append((path_rule.points * weight, f"{path_rule.says} in {words!r}"))
            break
    if kind in {"listing", "hub"} and release_like:
        points.append((-4.0, f"{release_like}: one release, not a listing"))
    if not on_site and kind not in {"newsroom", "feed"}:
        points.append((-2.0, "off-site"))
    score = sum(p for p, _ in points)
    cap = _decoy(url, label, words, slug, feed=kind == "feed")
    if cap is not None and score > cap[0]:
        points.append((cap[0] - score, f"decoy: {cap[1]} (score capped at {cap[0]:g})"))
        score = cap[0]
    if not points:
        points.append((0.0, "no press or news words"))
    evidence = tuple(f"{line} ({p:+g})" for p, line in points)
    return LinkCandidate(
        url=url, label=label, kind=kind, platform=platform, score=score, evidence=evidence
    )


#: Words of feed titles that say "feed", not what it holds.
_FEED_WORDS_RE = re.compile(r"\b(?:kategori)?(?:flöde|rss-flöde|rss|atom|feed)\b", re.IGNORECASE)


def _feed_title_part(title: str) -> str:
    """The part of a feed title that says what it holds.

    "Björkby kommun » Pressmeddelanden Kategoriflöde" -> "Pressmeddelanden";
    the part with the best label rule wins, else the last part.
    """
    parts = [
        clean_text(_FEED_WORDS_RE.sub(" ", p)) for p in re.split(r"\s*[»›|–—]\s*|\s+-\s+", title)
    ]
    parts = [p for p in parts if p]
    ranked = [(m.rule.points, p) for p in parts if (m := match_label(p)).rule is not None]
    if ranked:
        return max(ranked)[1]
    return parts[-1] if parts else ""


def _names_organisation(organisation: str, label: str, slug: str | None) -> tuple[float, str]:
    for where, name in (("label", label), ("slug", slug or "")):
        if name and same_organisation(organisation, name)[0]:
            return 1.5, f"its {where} {name!r} names {organisation!r}"
    return -2.0, f"neither label nor slug names {organisation!r}"


def _decoy(
    url: str, label: str, words: str, slug: str | None, *, feed: bool
) -> tuple[float, str] | None:
    """The cap a decoy puts on a link's score, with its reason, or None."""
    if _is_social(url):
        return -6.0, f"social media ({_host(url)})"
    if feed and ("/comments/" in url or re.search(r"\bkommentar|\bcomments?\b", label, re.I)):
        return -6.0, "a comments feed: lists comments, not releases"
    found = decoy(label)
    if found is not None:
        return found.points, f"{found.says} in the label"
    for text in (words, fold(slug or "")):
        for rule in PATH_RULES:
            if rule.kind == "decoy" and text and rule.pattern.search(text):
                return rule.points, f"{rule.says} {text!r}"
    if slug:
        found = decoy(fold(slug))
        if found is not None:
            return found.points, f"{found.says} in the newsroom's slug {slug!r}"
    return None


def _label(anchor: LexborNode) -> str:
    text = node_text(anchor)
    if text:
        return text
    attrs = anchor.attributes
    for name in ("aria-label", "title"):
        if attrs.get(name):
            return clean_text(attrs[name] or "")
    image = anchor.css_first("img[alt]")
    return clean_text(image.attributes.get("alt") or "") if image is not None else ""


def _region(anchor: LexborNode) -> str:
    node = anchor.parent
    while node is not None and node.tag not in {"body", "html", None}:
        region = _REGION_TAGS.get(node.tag or "")
        if region:
            return region
        if node.tag == "main" or (node.attributes.get("role") or "") == "main":
            return "main"
        node = node.parent
    return "body"


def _best_first(candidates: dict[str, tuple[int, LinkCandidate]]) -> tuple[LinkCandidate, ...]:
    ranked = sorted(
        candidates.values(), key=lambda item: (-item[1].score, _KIND_ORDER[item[1].kind], item[0])
    )
    return tuple(candidate for _, candidate in ranked)


def _keep(found: dict[str, tuple[int, LinkCandidate]], order: int, cand: LinkCandidate) -> None:
    old = found.get(cand.url)
    if old is None or cand.score > old[1].score:
        found[cand.url] = (old[0] if old else order, cand)


def score_links(
    html: str, url: str, *, organisation: str | None = None
) -> tuple[LinkCandidate, ...]:
    """Every link of the page scored as a way to the releases, best first.

    :param html: the page's text (a home page, a hub, a site map ...).
    :param url: the URL it was fetched from.
    :param organisation: the municipality's name ("Björkby kommun"): an
        off-site newsroom that names it scores higher, one that does not lower.

    One candidate per URL (its best-scored link); links to the page itself,
    mailto: and javascript: are left out. Decoys are kept, below zero, so
    that the caller can see why they lost.
    """
    tree = LexborHTMLParser(html or "")
    base = base_url(tree, url)
    own = canonical_url(url)
    found: dict[str, tuple[int, LinkCandidate]] = {}
    for order, anchor in enumerate(tree.css("a[href]")):
        target = normalize_url(anchor.attributes.get("href") or "", base)
        if target is None or canonical_url(target) == own:
            continue
        cand = score_link(target, _label(anchor), page_url=url, organisation=organisation)
        region = _region(anchor)
        cand = replace(cand, evidence=(*cand.evidence, f"in {region}"))
        _keep(found, order, cand)
    return _best_first(found)


# --------------------------------------------------------------------------
# Feeds


def page_feeds(html: str, url: str) -> tuple[LinkCandidate, ...]:
    """The feeds a page announces or its platform has by convention, best first.

    Every ``<link rel="alternate">`` RSS/Atom feed, scored by its title and
    URL ("Pressmeddelanden" above "Nyheter"; comments, events and job feeds
    below zero); Sitevision portlet feeds linked from the page
    (``?state=rss``); WordPress's ``/feed/`` (of the site and of the page)
    when the page is WordPress; a newsroom platform's feeds.
    """
    tree = LexborHTMLParser(html or "")
    base = base_url(tree, url)
    found: dict[str, tuple[int, LinkCandidate]] = {}
    order = 0
    for link in tree.css("link[href]"):
        rel = (link.attributes.get("rel") or "").lower().split()
        ctype = (link.attributes.get("type") or "").lower().split(";")[0].strip()
        feed = normalize_url(link.attributes.get("href") or "", base)
        if "alternate" not in rel or ctype not in FEED_TYPES or feed is None:
            continue
        title = clean_text(link.attributes.get("title") or "")
        how = (4.0, "announced with <link rel=alternate>")
        _keep(found, order, _assess(feed, title, page_url=url, feed=how))
        order += 1
    for anchor in tree.css('a[href*="state=rss"], a[href*="portlet"][href*="rss"]'):
        feed = normalize_url(anchor.attributes.get("href") or "", base)
        if feed is not None:
            title = _label(anchor) or _nearby_heading(anchor)
            how = (4.0, "a Sitevision portlet feed linked from the page (state=rss)")
            _keep(found, order, _assess(feed, title, page_url=url, feed=how))
            order += 1
    guess = detect_cms(html, url)
    if guess.cms in {"wordpress", "municipio"}:
        split = urlsplit(url)
        site_feed = urlunsplit((split.scheme, split.netloc, "/feed/", "", ""))
        path = split.path.rstrip("/") + "/feed/"
        page_feed = urlunsplit((split.scheme, split.netloc, path, "", ""))
        for feed in dict.fromkeys((page_feed, site_feed)):
            how = (2.5, f"WordPress's /feed/ (unverified; {guess.cms}, {guess.confidence})")
            if feed not in found:
                _keep(found, order, _assess(feed, "", page_url=url, feed=how))
                order += 1
    newsroom = recognise_newsroom(url, html)
    if newsroom is not None:
        for feed in newsroom.feed_urls:
            how = (4.0, f"a feed of the {newsroom.platform} newsroom this page belongs to")
            cand = _assess(feed, "", page_url=url, feed=how)
            if cand.platform is None:  # a custom domain: the platform is known from the markup
                cand = replace(cand, platform=newsroom.platform)
            _keep(found, order, cand)
            order += 1
    return _best_first(found)


def _nearby_heading(anchor: LexborNode) -> str:
    node = anchor.parent
    for _ in range(4):
        if node is None:
            break
        heading = node.css_first("h1, h2, h3, h4")
        if heading is not None:
            return node_text(heading)
        node = node.parent
    return ""
