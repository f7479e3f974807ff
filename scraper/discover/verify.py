"""Is this where the releases are? Verdicts on fetched pages and sitemaps (pure).

``verify_listing`` runs the listing discovery (``discover_listing``) on a
candidate page and says whether it lists releases, of which kind, with the
evidence: at least ``MIN_RELEASES`` release links, most of them dated or all
of one shape, dates newest first, a pager, kind labels. ``says_no_press_releases``
recognises a municipality saying it publishes none; ``notice_board`` and
``sitemap_release_folders`` find release folders in a sitemap and keep the
notice board (anslagstavla, kungörelser), which is just as dated, out.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser

from scraper.dates import date_from_url
from scraper.records import ListingEntry, ListingVerdict, ReleaseFolder

from .listing import discover_listing
from .names import fold
from .signs import PATH_RULES, match_label
from .text import node_text

__all__ = [
    "MIN_RELEASES",
    "no_press_releases_sentence",
    "notice_board",
    "says_no_press_releases",
    "sitemap_release_folders",
    "verify_listing",
]

#: Release links a listing shows at least.
MIN_RELEASES = 3
#: Share of consecutive dated entries that must be newest first.
MIN_DESCENDING = 0.6
_TOPIC = {"Pressmeddelande": "press", "Pressinbjudan": "press", "Nyhet": "news"}


def _topic_of_words(words: str) -> str | None:
    for rule in PATH_RULES:
        if rule.kind != "decoy" and rule.topic and rule.pattern.search(words):
            return rule.topic
    return None


def _page_topic(tree: LexborHTMLParser, url: str) -> tuple[str | None, str]:
    """What the page says it lists, from its h1, its title, then its URL."""
    heading = tree.css_first("h1")
    texts = [("h1", node_text(heading))] if heading is not None else []
    title = tree.css_first("title")
    if title is not None:
        texts += [("title", part) for part in re.split(r"\s+[|–—-]\s+", node_text(title))]
    for where, text in texts:
        rule = match_label(text).rule
        if rule is not None and rule.topic:
            return rule.topic, f"{where} {text!r} says {rule.topic}"
    segments = [fold(s) for s in unquote(urlsplit(url).path).split("/") if s]
    for words in reversed(segments):
        topic = _topic_of_words(words)
        if topic:
            return topic, f"URL word {words!r} says {topic}"
    return None, "the page names no kind"


def _kind(page: str | None, press: int, news: int) -> str:
    if page == "mixed" or (press and news):
        return "mixed"
    if page == "press":
        return "mixed" if news else "press"
    if page == "news":
        return "mixed" if press else "news"
    return "press" if press else "news" if news else "unknown"


def verify_listing(html: str, url: str, *, content_type: str = "") -> ListingVerdict:
    """Whether the page (or feed) at ``url`` lists releases, with the evidence.

    A feed with entries is a listing. An HTML page is one when it shows at
    least ``MIN_RELEASES`` release links and either most are dated (and
    newest first: an events calendar runs the other way) or all share one
    folder and the page has a pager or kind labels. A sitemap is never a
    listing here (see ``sitemap_release_folders``).
    """
    listing = discover_listing(html, url, content_type=content_type)
    entries = listing.entries
    n = len(entries)
    evidence = [f"{n} release link(s) found"]
    if listing.format in {"sitemap", "sitemap-index"}:
        evidence.append("a sitemap lists everything: see sitemap_release_folders")
        return ListingVerdict(url=url, is_listing=False, releases_seen=n, evidence=tuple(evidence))
    dates = [(e.published or date_from_url(e.url) or "")[:10] for e in entries]
    dated = [d for d in dates if d]
    newest = max(dated) if dated else None
    pairs = list(zip(dated, dated[1:], strict=False))
    descending = sum(a >= b for a, b in pairs) / len(pairs) if pairs else 1.0
    folders = Counter(_parent(e.url) for e in entries)
    same_shape = folders.most_common(1)[0][1] / n if n else 0.0
    labels = Counter(_TOPIC[e.kind] for e in entries if e.kind in _TOPIC)
    press = labels["press"] + sum(1 for e in entries if not e.kind and _entry_press(e.url))
    tree = LexborHTMLParser(html or "") if listing.format == "html" else None
    page_topic, page_why = _page_topic(tree, url) if tree is not None else (None, "a feed")
    kind = _kind(page_topic, press, labels["news"])
    if dated:
        evidence.append(f"{len(dated)} of {n} dated, newest {newest}")
    if len(pairs) >= 2:
        evidence.append(f"{descending:.0%} of consecutive dates newest first")
    if n:
        evidence.append(f"{same_shape:.0%} under one folder")
    if listing.next_url:
        evidence.append(f"a pager: next page {listing.next_url}")
    if labels:
        evidence.append("kind labels: " + ", ".join(f"{k} {v}" for k, v in labels.items()))
    evidence.append(page_why)
    if listing.format in {"rss", "atom"}:
        is_listing = n > 0
        evidence.append(f"an {listing.format} feed" + ("" if n else " without entries"))
    elif n < MIN_RELEASES:
        is_listing = False
        evidence.append(f"fewer than {MIN_RELEASES} release links")
    elif len(dated) >= MIN_RELEASES and len(dated) >= n / 2:
        is_listing = descending >= MIN_DESCENDING
        if not is_listing:
            evidence.append("dates run oldest first: a calendar, not releases")
    else:
        is_listing = same_shape >= 0.8 and bool(listing.next_url or labels)
        if not is_listing:
            evidence.append("undated, and no pager or kind labels to tell a listing")
    return ListingVerdict(
        url=url,
        is_listing=is_listing,
        kind=kind,
        releases_seen=n,
        newest=newest,
        entries=tuple(e.url for e in entries[:10]),
        next_url=listing.next_url,
        evidence=tuple(evidence),
    )


def _parent(url: str) -> str:
    split = urlsplit(url)
    return split.netloc + split.path.rstrip("/").rsplit("/", 1)[0]


def _entry_press(url: str) -> bool:
    segments = [fold(s) for s in unquote(urlsplit(url).path).split("/") if s][:-1]
    return any(_topic_of_words(s) == "press" for s in segments)


# --------------------------------------------------------------------------
# "We publish no press releases"

_NEG = r"(?:inte(?:\s+längre)?|inga|ej|aldrig|inte\s+några)"
_NO_PRESS_RES = (
    # "Vi publicerar inte pressmeddelanden ...", "Vi skickar inte ut pressmeddelanden".
    re.compile(
        r"\b(?:publicerar|skickar|ger|sänder|gör|lägger|skriver)\b(?:\s+\S+){0,2}?\s+"
        rf"{_NEG}\b(?:\s+(?:ut|ut\s+några|några|egna|separata|längre))*\s+pressmeddelanden?\b"
    ),
    # "Inga pressmeddelanden publiceras", "Pressmeddelanden publiceras inte längre".
    re.compile(r"\b(?:inga|inte\s+några)\s+pressmeddelanden\s+(?:publiceras|skickas|ges\s+ut)"),
    re.compile(r"\bpressmeddelanden\s+(?:publiceras|skickas(?:\s+ut)?|ges\s+ut)\s+(?:inte|ej)\b"),
)
#: Words after "pressmeddelanden" that restrict the statement ("... om enskilda ärenden").
_RESTRICTED_RE = re.compile(
    r"^\s*(?:om|kring|gällande|rörande|angående|när|innan|före|under|vid|i\s+samband)\b"
)


def no_press_releases_sentence(html: str) -> str | None:
    """The sentence in which the page says the municipality publishes no press releases."""
    tree = LexborHTMLParser(html or "")
    tree.strip_tags(["script", "style", "noscript", "template"])
    root = tree.body or tree.root
    text = node_text(root) if root is not None else ""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        lowered = sentence.lower()
        for pattern in _NO_PRESS_RES:
            match = pattern.search(lowered)
            if match and not _RESTRICTED_RE.match(lowered[match.end() :]):
                return sentence.strip()
    return None


def says_no_press_releases(html: str) -> bool:
    """True when the page says the municipality publishes (or sends) no press releases."""
    return no_press_releases_sentence(html) is not None


# --------------------------------------------------------------------------
# Sitemaps: folders of dated pages, and the notice board that is not one

_NOTICE_RE = re.compile(
    r"anslagstavl|kungorelse|kallelse|tillkannagivande|delgivning|protokoll|sammantrade"
)
_DATE_SEGMENT_RE = re.compile(
    r"^(?:(?:19|20)\d\d(?:[-_]\d\d(?:[-_]\d\d)?)?(?:[-_].*)?|[a-z]+[-_](?:19|20)\d\d)$", re.I
)


def notice_board(url: str, title: str | None = None) -> bool:
    """True for the notice board (anslagstavla, kungörelser, kallelser, protokoll) and its pages."""
    words = fold(unquote(urlsplit(url).path)) + " " + fold(title or "")
    return bool(_NOTICE_RE.search(words.replace(" ", "")))


def _entry(item: ListingEntry | str | tuple[str, str | None]) -> tuple[str, str | None]:
    if isinstance(item, ListingEntry):
        return item.url, item.published or item.updated
    if isinstance(item, str):
        return item, None
    return item[0], item[1]


def _split(url: str) -> tuple[str, list[str], int | None]:
    """(origin, path segments, index of the first date-like folder or dated name, or None)."""
    split = urlsplit(url)
    origin = f"{split.scheme}://{split.netloc}"
    segments = [unquote(s) for s in split.path.split("/") if s]
    for index, segment in enumerate(segments):
        if index < len(segments) - 1:
            if _DATE_SEGMENT_RE.match(segment):
                return origin, segments, index
        elif date_from_url("/" + segment):
            return origin, segments, index
    return origin, segments, None


def _folder_topic(segments: list[str]) -> str | None:
    for segment in reversed(segments):
        topic = _topic_of_words(fold(segment))
        if topic:
            return topic
    return None


def sitemap_release_folders(
    entries: Iterable[ListingEntry | str | tuple[str, str | None]], *, min_pages: int = 5
) -> tuple[ReleaseFolder, ...]:
    """Folders of a sitemap that hold many dated pages, press folders first.

    :param entries: the sitemap's entries (``Listing.entries``), URLs, or
        (url, lastmod) pairs.
    :param min_pages: pages a folder must hold at least.

    A page's folder is the path before its first date segment
    ("/nyheter/2026/11/<slug>.html" -> "/nyheter/", "/arkiv/nyheter/nyheter-2022/x"
    -> "/arkiv/nyheter/") or else its parent. A folder is kept when its words
    say press or news or half its pages are dated; notice-board folders never.
    The folder's own page (``/nyheter/``, Sitevision's ``/nyhetsarkiv/nyhetsarkiv.html``)
    is not counted; it is returned as the listing to try.
    """
    groups: dict[tuple[str, tuple[str, ...]], list[_Page]] = defaultdict(list)
    own_pages: dict[str, str] = {}
    for item in entries:
        url, lastmod = _entry(item)
        origin, segments, date_at = _split(url)
        key = re.sub(r"\.html?$", "", "/".join(segments).lower())
        own_pages.setdefault(f"{origin}/{key}", url)
        folder = tuple(segments[:date_at] if date_at is not None else segments[:-1])
        topic_words = segments[: date_at + 1] if date_at is not None else list(folder)
        date = date_from_url(url) or (lastmod or "")[:10] or _path_month(segments) or None
        groups[(origin, folder)].append(_Page(url, date, date_at is not None, topic_words))
    found: list[ReleaseFolder] = []
    for (origin, folder), pages in groups.items():
        folder_url = f"{origin}/{'/'.join(folder)}/" if folder else f"{origin}/"
        name = folder[-1].lower() if folder else ""
        listing = own_pages.get(f"{origin}/{'/'.join(folder).lower()}") if folder else None
        own = [p for p in pages if name and _stem(p.url) == name]
        pages = [p for p in pages if p not in own]
        listing = listing or (own[0].url if own else None)
        if len(pages) < min_pages or notice_board(folder_url):
            continue
        dated = sum(p.dated for p in pages)
        topics = Counter(_folder_topic(p.topic_words) for p in pages)
        kind = "press" if topics["press"] else "news" if topics["news"] else "unknown"
        if kind == "unknown" and dated < len(pages) / 2:
            continue
        by_date = sorted((p for p in pages if p.date), key=lambda p: p.date or "", reverse=True)
        examples = tuple(p.url for p in (by_date or pages)[:3])
        evidence = [f"{len(pages)} pages under {folder_url}", f"{dated} of them in dated paths"]
        evidence.append(f"folder words say {kind}" if kind != "unknown" else "no press/news words")
        if listing:
            evidence.append(f"the folder's own page is in the sitemap: {listing}")
        found.append(
            ReleaseFolder(
                folder=folder_url,
                pages=len(pages),
                dated=dated,
                kind=kind,
                newest=by_date[0].date if by_date else None,
                listing=listing,
                examples=examples,
                evidence=tuple(evidence),
            )
        )
    order = {"press": 0, "news": 1, "unknown": 2}
    return tuple(sorted(found, key=lambda f: (order[f.kind], -f.pages, f.folder)))


@dataclass(frozen=True)
class _Page:
    url: str
    #: URL date, else lastmod (ISO date), else the /YYYY/MM/ of the path, else None.
    date: str | None
    #: The path carries a date (a dated folder or name).
    dated: bool
    #: The segments whose words say what the folder holds.
    topic_words: list[str]


def _path_month(segments: list[str]) -> str | None:
    """The month of a dated folder path: "2026-11" for "/2026/11/x", "2026" for "/2026/x"."""
    for index, segment in enumerate(segments[:-1]):
        if re.fullmatch(r"(?:19|20)\d\d", segment):
            month = segments[index + 1]
            if re.fullmatch(r"0?[1-9]|1[0-2]", month) and index + 1 < len(segments) - 1:
                return f"{segment}-{int(month):02d}"
            return segment
    return None


def _stem(url: str) -> str:
    name = unquote(urlsplit(url).path).rstrip("/").rsplit("/", 1)[-1].lower()
    return re.sub(r"\.html?$", "", name)
