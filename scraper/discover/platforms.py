"""Newsroom platforms' URL conventions: what a URL alone says about a newsroom (pure).

For Mynewsdesk, Via TT, Cision, Notified and NewsMachine, ``newsroom_parts``
reads the host *and* the path of any newsroom URL (start page, listing,
release, feed) and derives the newsroom's start page, its press-release
listing, its conventional feeds, the organisation's key on the platform and
what kind of page the URL is. The scheme and host of the URL are kept, so a
local copy served under the real host name resolves to itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

__all__ = [
    "PLATFORMS",
    "PLATFORM_HOSTS",
    "PLATFORM_WORDS",
    "NOTIFIED_ID_RE",
    "NewsroomParts",
    "newsroom_parts",
    "notified_feed",
    "platform_of_host",
]

#: Every platform known, by the name records use.
PLATFORMS = ("mynewsdesk", "viatt", "cision", "notified", "newsmachine")

# --------------------------------------------------------------------------
# Platform knowledge (data, not logic)

#: Host suffixes of each platform (the page's own host or its assets').
PLATFORM_HOSTS: dict[str, tuple[str, ...]] = {
    "mynewsdesk": ("mynewsdesk.com",),
    "viatt": ("via.tt.se",),
    "cision": ("news.cision.com", "cision.com"),
    "notified": ("notified.com",),
    "newsmachine": ("newsmachine.com", "newsmachine.se", "pressmachine.se"),
}
#: How a page names the platform in its text or meta ("Powered by Mynewsdesk").
PLATFORM_WORDS: dict[str, re.Pattern[str]] = {
    "mynewsdesk": re.compile(r"\bmy\s?newsdesk\b", re.IGNORECASE),
    "viatt": re.compile(r"\bvia\s+tt\b", re.IGNORECASE),
    "cision": re.compile(r"\bcision\b", re.IGNORECASE),
    "notified": re.compile(r"\bnotified\b", re.IGNORECASE),
    "newsmachine": re.compile(r"\b(news|press)machine\b", re.IGNORECASE),
}
#: First path segments of mynewsdesk.com/<cc>/... that are the site's own pages.
_MYNEWSDESK_SITE_PAGES = frozenset(
    {"tag", "search", "rss", "about", "login", "signup", "users", "pressrooms", "stories",
     "discover", "channels", "explore", "newsrooms", "pricing", "blog"}
)  # fmt: skip
#: Subdomains of the platforms that are no organisation's newsroom.
_NOT_NEWSROOM_SUBDOMAINS = frozenset(
    {"www", "api", "api.client", "newsroom", "news", "mnd-assets", "resources", "static",
     "cdn", "assets", "mb", "press", "app", "login"}
)  # fmt: skip
_COUNTRY_RE = re.compile(r"^[a-z]{2}$")
#: A Mynewsdesk release slug ends in its number: "nytt-aldreboende-3212345".
_MND_RELEASE_RE = re.compile(r"-\d{4,}$")
#: A Cision release slug ends in ",c<number>".
_CISION_RELEASE_RE = re.compile(r",c\d+$")
#: A Notified newsroom's numeric id, as its RSS address or scripts carry it.
NOTIFIED_ID_RE = re.compile(
    r"(?:api/rss/publish/view/|[\"']?newsroom_?id[\"']?\s*[:=]\s*[\"']?)(\d{3,})", re.IGNORECASE
)


@dataclass(frozen=True)
class NewsroomParts:
    """What a URL alone says about the newsroom it belongs to."""

    platform: str
    #: The newsroom's start page.
    home: str
    #: Its press-release listing, if the platform has a convention for it.
    listing: str | None
    #: Feeds by the platform's convention (unverified guesses).
    feeds: tuple[str, ...]
    #: The organisation's key on the platform (slug or publisher id).
    account: str | None
    #: "home", "listing", "release", "feed" or "other".
    page: str
    evidence: tuple[str, ...]
    #: The organisation's name-like key in the URL ("stockholms-stad"), when the
    #: account is a number; else the account itself.
    slug: str | None = None


def _host_is(host: str, suffix: str) -> bool:
    return host == suffix or host.endswith("." + suffix)


def platform_of_host(host: str) -> str | None:
    """The platform a host belongs to ("bjorkby.mynewsdesk.com" -> "mynewsdesk"), or None."""
    host = host.lower()
    for platform, suffixes in PLATFORM_HOSTS.items():
        if any(_host_is(host, suffix) for suffix in suffixes):
            return platform
    return None


def newsroom_parts(url: str) -> NewsroomParts | None:
    """What ``url`` says about its newsroom, or None when it is no newsroom URL."""
    split = urlsplit(url)
    host = (split.hostname or "").lower()
    scheme = split.scheme or "https"
    origin = f"{scheme}://{split.netloc.lower()}"
    segs = [s for s in split.path.split("/") if s]
    platform = platform_of_host(host)
    if platform == "mynewsdesk":
        return _mynewsdesk(scheme, origin, host, segs)
    if platform == "viatt":
        return _viatt(origin, segs, parse_qs(split.query))
    if platform == "cision" and _host_is(host, "news.cision.com"):
        return _cision(origin, segs)
    if platform == "notified":
        return _notified(scheme, origin, host, segs)
    if platform == "newsmachine":
        return _newsmachine(origin, segs)
    return None


def _page_kind(rest: list[str], *, listing: str, release: re.Pattern[str]) -> str:
    if not rest:
        return "home"
    if rest[-1].endswith((".rss", ".atom", ".xml")) or "rss" in rest:
        return "feed"
    if rest == [listing]:
        return "listing"
    if rest[0] == listing and release.search(rest[-1]):
        return "release"
    return "other"


def _mynewsdesk(scheme: str, origin: str, host: str, segs: list[str]) -> NewsroomParts | None:
    sub = host.removesuffix("mynewsdesk.com").rstrip(".")
    if sub and sub not in _NOT_NEWSROOM_SUBDOMAINS:
        # <slug>.mynewsdesk.com: the newsroom is the whole host.
        feeds = (
            f"{origin}/pressreleases.rss",
            f"{scheme}://www.mynewsdesk.com/se/{sub}/pressreleases.rss",
        )
        page = _page_kind(segs, listing="pressreleases", release=_MND_RELEASE_RE)
        why = (f"Mynewsdesk newsroom host {host}",)
        return NewsroomParts(
            "mynewsdesk", f"{origin}/", f"{origin}/pressreleases", feeds, sub, page, why
        )
    if len(segs) >= 2 and _COUNTRY_RE.match(segs[0]) and segs[1] not in _MYNEWSDESK_SITE_PAGES:
        country, slug = segs[0], segs[1]
        home = f"{origin}/{country}/{slug}"
        page = _page_kind(segs[2:], listing="pressreleases", release=_MND_RELEASE_RE)
        why = (f"Mynewsdesk newsroom path /{country}/{slug}",)
        feeds = (f"{home}/pressreleases.rss",)
        return NewsroomParts("mynewsdesk", home, f"{home}/pressreleases", feeds, slug, page, why)
    return None


def _viatt(origin: str, segs: list[str], query: dict[str, list[str]]) -> NewsroomParts | None:
    publisher = (query.get("publisherId") or query.get("publisherid") or [None])[0]
    if len(segs) >= 2 and segs[0] == "pressrum":
        # "/pressrum/<id>/<slug>", or "/pressrum/<slug>?publisherId=<id>".
        slug = segs[2] if segs[1].isdigit() and len(segs) > 2 else segs[1]
        if segs[1].isdigit():
            publisher, home = segs[1], f"{origin}/" + "/".join(segs[:3])
        else:
            query_part = f"?publisherId={publisher}" if publisher else ""
            home = f"{origin}/pressrum/{segs[1]}{query_part}"
        rest = segs[3:] if segs[1].isdigit() else segs[2:]
        page = "home" if not rest else "other"
        why = f"Via TT newsroom path /pressrum/{segs[1]}"
        if not publisher:
            return NewsroomParts("viatt", home, home, (), segs[1], page, (why,), slug)
    elif segs[:1] == ["pressmeddelande"] and len(segs) >= 2:
        slug = None
        if not publisher:
            why = "Via TT release path /pressmeddelande/<id>; its newsroom is not in the URL"
            return NewsroomParts("viatt", f"{origin}/", None, (), None, "release", (why,))
        home = f"{origin}/pressrum/{publisher}"
        page, why = "release", f"Via TT release of publisherId={publisher}"
    elif segs[:1] == ["rss"] and publisher:
        slug = None
        home = f"{origin}/pressrum/{publisher}"
        page, why = "feed", f"Via TT feed of publisherId={publisher}"
    else:
        return None
    feed = f"{origin}/rss/releases/latest?publisherId={publisher}"
    return NewsroomParts("viatt", home, home, (feed,), publisher, page, (why,), slug)


def _cision(origin: str, segs: list[str]) -> NewsroomParts | None:
    prefix, rest = (segs[:1], segs[1:]) if segs and _COUNTRY_RE.match(segs[0]) else ([], segs)
    if not rest or rest[0].lower() in {"r", "search", "list", "listitems", "om", "about"}:
        return None
    slug, tail = rest[0], rest[1:]
    home = f"{origin}/" + "/".join([*prefix, slug])
    if not tail:
        page = "home"
    elif tail[0].lower() == "listitems":
        page = "feed"
    elif tail[0] == "r" and len(tail) > 1 and _CISION_RELEASE_RE.search(tail[-1]):
        page = "release"
    else:
        page = "other"
    feed = f"{home}/ListItems?format=rss"
    why = (f"Cision newsroom path /{slug}",)
    return NewsroomParts("cision", home, home, (feed,), slug, page, why)


def notified_feed(scheme: str, newsroom_id: str) -> str:
    """Notified's press-release feed of one newsroom id."""
    return f"{scheme}://api.client.notified.com/api/rss/publish/view/{newsroom_id}?type=press"


def _notified(scheme: str, origin: str, host: str, segs: list[str]) -> NewsroomParts | None:
    if _host_is(host, "api.client.notified.com"):
        match = NOTIFIED_ID_RE.search("/".join(segs))
        if not match:
            return None
        feed = notified_feed(scheme, match.group(1))
        why = (f"Notified feed of newsroom {match.group(1)}",)
        return NewsroomParts("notified", feed, None, (feed,), match.group(1), "feed", why)
    if host == "newsroom.notified.com":
        if not segs:
            return None
        slug, rest, home = segs[0], segs[1:], f"{origin}/{segs[0]}"
        why = f"Notified newsroom path /{slug}"
    else:
        sub = host.removesuffix("notified.com").rstrip(".")
        if not sub or sub in _NOT_NEWSROOM_SUBDOMAINS:
            return None
        slug, rest, home = sub, segs, origin
        why = f"Notified newsroom host {host}"
    if not rest:
        page = "home"
    elif rest[:2] == ["posts", "pressreleases"]:
        page = "release" if len(rest) > 2 else "listing"
    else:
        page = "other"
    # The listing is the parent of the release pages (posts/pressreleases/<slug>).
    listing = f"{home}/posts/pressreleases"
    return NewsroomParts("notified", home, listing, (), slug, page, (why,))


def _newsmachine(origin: str, segs: list[str]) -> NewsroomParts | None:
    if len(segs) >= 3 and segs[0] == "pressroom" and segs[1] in {"view", "archive"}:
        slug = segs[2]
        home = f"{origin}/pressroom/view/{slug}"
        page = "home" if segs[1] == "view" else "listing"
        why = (f"NewsMachine newsroom path /pressroom/{segs[1]}/{slug}",)
        return NewsroomParts("newsmachine", home, home, (), slug, page, why)
    if segs[:1] == ["pressrelease"] and len(segs) >= 3:
        why = ("NewsMachine release path /pressrelease/...; its newsroom is not in the URL",)
        return NewsroomParts("newsmachine", f"{origin}/", None, (), None, "release", why)
    return None
