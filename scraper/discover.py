"""A fetched listing page, feed or sitemap -> the releases it points to (pure).

``discover_listing`` detects the format (content type *and* content) and
returns a :class:`~scraper.records.Listing`. For HTML listings no per-site
selector is involved: release links are told apart from site furniture by
evidence (see ``find_release_links``), pagination by rel="next", link texts,
numbered page links and incrementing query parameters (``find_next_page``).
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit, urlunsplit

import feedparser
from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.dates import date_from_url, normalize_datetime, parse_date, parse_labelled_dates
from scraper.records import Listing, ListingEntry

__all__ = [
    "detect_format",
    "discover_listing",
    "find_feeds",
    "find_next_page",
    "find_release_links",
    "normalize_url",
]

# --------------------------------------------------------------------------
# Word lists (data, not logic)

#: Elements that hold site furniture, never releases.
FURNITURE_TAGS = frozenset({"nav", "aside", "script", "style", "noscript", "template", "dialog"})
#: header/footer are furniture unless they belong to one item (WordPress entry-header).
SECTION_FURNITURE_TAGS = frozenset({"header", "footer"})
FURNITURE_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"}
)
#: class/id words of furniture containers.
FURNITURE_WORDS = frozenset(
    {
        "nav", "navbar", "navigation", "menu", "meny", "megamenu", "submenu", "breadcrumb", "aside",
        "breadcrumbs", "brodsmulor", "brodsmula", "skip", "skiplink", "skiplinks", "sidebar",
        "sidopanel", "sidospalt", "hogerspalt", "vansterspalt", "cookie", "cookies", "consent",
        "gdpr", "share", "sharing", "social", "some", "dela", "pagination", "pager", "paging",
        "related", "relaterat", "relaterade", "toolbar", "verktyg", "lyssna", "readspeaker",
        "quicklinks", "genvagar", "snabblankar",
    }
)  # fmt: skip
#: Words of furniture containers that are item parts when inside an item.
SECTION_WORDS = frozenset({"header", "footer", "sidhuvud", "sidfot"})
#: Class words of one list item, whose header/footer are part of the item.
ITEM_WORDS = frozenset(
    {"item", "entry", "post", "article", "card", "teaser", "puff", "news", "nyhet", "result"}
)
#: First words of class names that modify a layout rather than name a part.
MODIFIER_WORDS = frozenset({"has", "with", "no", "without", "is", "js", "show", "hide", "u"})
#: Tags that delimit one item of a repeated list.
RECORD_TAGS = frozenset({"li", "article", "tr", "dd"})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: Tags of the main content area.
MAIN_SELECTORS = ("main", "[role=main]", "#main", "#content", "#maincontent", "#main-content")

#: Query keys of pagination, filters and search: links with them are not releases.
PAGE_KEYS = frozenset(
    {
        "page", "p", "sida", "pg", "paged", "pagenr", "pagenumber", "currentpage", "start",
        "offset", "from", "skip", "q", "query", "search", "sok", "s", "sort", "order", "year",
        "ar", "month", "manad", "category", "kategori", "tag", "filter", "limit",
    }
)  # fmt: skip
#: Path segments of taxonomy, archive, feed and utility pages.
NON_RELEASE_SEGMENTS = frozenset(
    {
        "category", "categories", "kategori", "kategorier", "tag", "tags", "tagg", "taggar",
        "etikett", "etiketter", "amne", "amnen", "topic", "topics", "author", "forfattare",
        "feed", "rss", "atom", "download", "sok", "search", "login", "logga-in", "wp-admin",
        "wp-login.php", "wp-content", "wp-json", "sitevision", "globalassets", "contentassets",
    }
)  # fmt: skip
#: Last path segments of archive pages.
ARCHIVE_SEGMENTS = frozenset({"arkiv", "archive", "nyhetsarkiv", "pressarkiv", "page"})
#: File extensions that are documents, media or feeds, not release pages.
FILE_EXTENSIONS = frozenset(
    {
        "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "rtf", "txt",
        "csv", "zip", "jpg", "jpeg", "png", "gif", "svg", "webp", "tif", "tiff", "mp3", "mp4",
        "mov", "avi", "webm", "ics", "vcf", "xml", "rss", "atom", "json", "css", "js",
    }
)  # fmt: skip
#: Kind labels shown in listing items, lower case, and the kind they name.
KIND_LABELS: dict[str, str] = {
    "pressmeddelande": "Pressmeddelande",
    "pressmeddelanden": "Pressmeddelande",
    "pressinbjudan": "Pressinbjudan",
    "pressinbjudningar": "Pressinbjudan",
    "nyhet": "Nyhet",
    "nyheter": "Nyhet",
}
_KIND_RE = re.compile(
    # The label alone, or before a separator or a date ("Pressmeddelande · 3 mars 2019"),
    # never the first word of a sentence ("Nyheter i sommar").
    r"^\s*(" + "|".join(sorted(KIND_LABELS, key=len, reverse=True)) + r")"
    r"(?=\s*($|[:|·•–—/,-]|\d))",
    re.IGNORECASE,
)
#: Link texts that say nothing about the release ("Läs mer").
_GENERIC_TEXT_RE = re.compile(
    r"^(läs (mer|hela)|mer\b|read more|continue|fortsätt|visa\b|gå till|till nyheten)",
    re.IGNORECASE,
)
#: Link texts (or aria-labels) of a "next page" link, checked in this order.
_NEXT_WORDS_RE = re.compile(
    r"^(nästa|next|visa fler|visa mer|ladda fler|fler|äldre|older|load more|more (posts|news))\b",
    re.IGNORECASE,
)
#: Of those, the ones that never lead away from the listing ("Fler evenemang" may).
_STRONG_NEXT_RE = re.compile(r"^(nästa|next|äldre inlägg|older (posts|entries))\b", re.IGNORECASE)
_NEXT_SYMBOLS = ("›", "»", "→", ">", ">>", "next ›")
_PREVIOUS_RE = re.compile(
    r"föregående|previous|prev\b|tidigare|nyare|newer|första|sista|first|last", re.IGNORECASE
)
_PAGE_LABEL_RE = re.compile(r"^(?:sida|page|gå till sida)?\s*(\d{1,3})$", re.IGNORECASE)
_PAGE_PATH_RE = re.compile(r"/(?:page|sida)/(\d+)/?$", re.IGNORECASE)
_WORD_SPLIT_RE = re.compile(r"[^a-z0-9]+")
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SPACE_RE = re.compile(r"\s+")
#: Last path segment of a year archive: "/2022/", "/nyheter-2022/", "/arkiv_2019/".
_YEAR_ARCHIVE_RE = re.compile(
    r"((nyheter|nyhetsarkiv|arkiv|archive|news|press|pressmeddelanden|ar|year)[-_]?)?"
    r"(19|20)\d\d"
)

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


# --------------------------------------------------------------------------
# URLs


def normalize_url(href: str, base: str) -> str | None:
    """Resolve ``href`` against ``base``; drop the fragment and keep the query.

    Returns None for links that lead to no web page (mailto:, tel:,
    javascript:, empty or pure-fragment hrefs resolve to the base itself).
    """
    href = (href or "").strip()
    if not href or href.lower().startswith(("mailto:", "tel:", "javascript:", "data:", "sms:")):
        return None
    try:
        parts = urlsplit(urljoin(base, href))
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"} or not parts.hostname:
        return None
    host = parts.hostname.lower()
    port = parts.port if parts.port not in {None, 80 if scheme == "http" else 443} else None
    netloc = f"{host}:{port}" if port else host
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def _same_site(url: str, other: str) -> bool:
    """True when both URLs are on the same host (a leading "www." aside)."""
    a, b = urlsplit(url), urlsplit(other)
    return _bare_host(a.netloc) == _bare_host(b.netloc)


def _bare_host(netloc: str) -> str:
    netloc = netloc.lower()
    return netloc[4:] if netloc.startswith("www.") else netloc


def _listing_base(path: str) -> str:
    """The path a listing's releases live under: "/nyheter/page/2/" -> "/nyheter"."""
    path = _PAGE_PATH_RE.sub("/", unquote(path))
    path = re.sub(r"/(index|default)\.[a-z]+$", "/", path, flags=re.IGNORECASE)
    path = re.sub(r"\.[a-z0-9]+$", "", path, flags=re.IGNORECASE)
    return path.rstrip("/").lower()


def _segments(path: str) -> list[str]:
    return [s for s in unquote(path).lower().split("/") if s]


def _is_release_url(url: str, page_url: str) -> bool:
    """URL evidence alone: could ``url`` be a release linked from listing ``page_url``?"""
    if not _same_site(url, page_url):
        return False
    parts, page = urlsplit(url), urlsplit(page_url)
    segments = _segments(parts.path)
    if not segments:
        return False  # the home page
    last = segments[-1]
    ext = last.rsplit(".", 1)[-1] if "." in last else ""
    if ext in FILE_EXTENSIONS:
        return False
    if any(s in NON_RELEASE_SEGMENTS for s in segments) or last in ARCHIVE_SEGMENTS:
        return False
    if _PAGE_PATH_RE.search(parts.path) or _YEAR_ARCHIVE_RE.fullmatch(last):
        return False  # pagination or a year archive (/nyheter-2022/)
    if re.search(r"/\d{4}(/\d{1,2})?/?$", parts.path):
        return False  # date archive (/2020/ or /2020/02/)
    query_keys = {k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
    if query_keys & PAGE_KEYS:
        return False
    base, own = _listing_base(page.path), _listing_base(parts.path)
    if own == base and not parts.query:
        return False  # the listing itself
    # An ancestor of the listing (breadcrumbs, section start pages) is no release.
    return not (base.startswith(own + "/") or own == "")


# --------------------------------------------------------------------------
# Format detection


_ROOT_RE = re.compile(r"<\s*([a-zA-Z][\w:.-]*)")


def detect_format(text: str, *, content_type: str = "") -> str:
    """Return "rss", "atom", "sitemap", "sitemap-index" or "html" for a fetched body.

    The content decides when it is clear (a feed served as text/html is a feed);
    the content type breaks ties.
    """
    head = (text or "").lstrip("\ufeff \t\r\n")[:4000]
    # Skip the XML declaration, processing instructions, comments and doctypes.
    head = re.sub(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", "", head, flags=re.DOTALL)
    match = _ROOT_RE.search(head)
    root = match.group(1).lower().rsplit(":", 1)[-1] if match else ""
    if root in {"rss", "rdf"}:
        return "rss"
    if root == "feed":
        return "atom"
    if root == "urlset":
        return "sitemap"
    if root == "sitemapindex":
        return "sitemap-index"
    if root in {"html", "head", "body"}:
        return "html"
    ctype = content_type.split(";", 1)[0].strip().lower()
    if "atom" in ctype:
        return "atom"
    if "rss" in ctype or "rdf" in ctype:
        return "rss"
    return "html"


def discover_listing(text: str, url: str, *, content_type: str = "") -> Listing:
    """Return what one fetched listing page, RSS/Atom feed or XML sitemap points to.

    :param text: the decoded body.
    :param url: the URL it was fetched from (after redirects); links resolve against it.
    :param content_type: the response's media type, a hint next to the content.

    Broken or empty input gives a Listing without entries: an empty listing is
    an answer, and the caller decides whether it is a failure.
    """
    kind = detect_format(text, content_type=content_type)
    if kind in {"rss", "atom"}:
        return _discover_feed(text, url, kind=kind)
    if kind in {"sitemap", "sitemap-index"}:
        return _discover_sitemap(text, url, kind=kind)
    tree = LexborHTMLParser(text or "")
    return Listing(
        url=url,
        format="html",
        entries=_release_links(tree, url),
        next_url=_next_page(tree, url),
        feed_urls=_feeds(tree, url),
    )


# --------------------------------------------------------------------------
# Feeds and sitemaps


def _discover_feed(text: str, url: str, *, kind: str) -> Listing:
    parsed = feedparser.parse(
        (text or "").encode("utf-8"),
        # Bytes, never a str (feedparser would fetch a str that looks like a URL);
        # the text is already decoded, so tell feedparser it is UTF-8 whatever the
        # XML declaration says.
        response_headers={"content-type": "application/xml; charset=utf-8"},
    )
    entries: list[ListingEntry] = []
    seen: set[str] = set()
    for item in parsed.entries:
        link = normalize_url(item.get("link") or item.get("id") or "", url)
        if link is None or link in seen:
            continue
        seen.add(link)
        updated = normalize_datetime(item.get("updated") or "")
        # An Atom entry may carry only <updated>: the best publication date there is.
        published = normalize_datetime(item.get("published") or "") or (
            updated if kind == "atom" else None
        )
        kind_label = None
        for tag in item.get("tags") or ():
            kind_label = _kind_from_label(tag.get("term") or tag.get("label") or "")
            if kind_label:
                break
        title = _clean(item.get("title") or "") or None
        entries.append(
            ListingEntry(
                url=link,
                title=title,
                published=published,
                kind=kind_label or _kind_from_title(title or ""),
                updated=updated if updated != published else None,
            )
        )
    next_url = None
    for link in parsed.feed.get("links") or ():
        if link.get("rel") == "next" and link.get("href"):
            next_url = normalize_url(link["href"], url)
    return Listing(url=url, format=kind, entries=tuple(entries), next_url=next_url)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _discover_sitemap(text: str, url: str, *, kind: str) -> Listing:
    item_tag = "sitemap" if kind == "sitemap-index" else "url"
    rows: list[dict[str, str]] = []
    try:
        root = ET.fromstring((text or "").lstrip("\ufeff \t\r\n"))
        for element in root.iter():
            if _local(element.tag) != item_tag:
                continue
            row: dict[str, str] = {}
            for child in element.iter():
                name = _local(child.tag)
                if name not in row and child.text and child.text.strip():
                    row[name] = child.text.strip()
            rows.append(row)
    except ET.ParseError:
        # A truncated or sloppy sitemap: take the <loc>s that are there.
        for block in re.findall(rf"<{item_tag}\b.*?(?:</{item_tag}>|$)", text, re.DOTALL | re.I):
            row = {}
            for name in ("loc", "lastmod", "publication_date", "title"):
                found = re.search(rf"<(?:\w+:)?{name}>\s*(.*?)\s*<", block, re.DOTALL)
                if found:
                    row[name] = found.group(1)
            rows.append(row)
    entries: list[ListingEntry] = []
    seen: set[str] = set()
    for row in rows:
        loc = normalize_url(_unescape_xml(row.get("loc", "")), url)
        if loc is None or loc in seen:
            continue
        seen.add(loc)
        entries.append(
            ListingEntry(
                url=loc,
                # Google News sitemaps carry the title and publication date.
                title=_clean(row.get("title", "")) or None,
                published=normalize_datetime(row.get("publication_date", "")),
                updated=normalize_datetime(row.get("lastmod", "")),
            )
        )
    return Listing(url=url, format=kind, entries=tuple(entries))


def _unescape_xml(value: str) -> str:
    return (
        value.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    )


# --------------------------------------------------------------------------
# HTML: feeds


def find_feeds(html: str, url: str) -> tuple[str, ...]:
    """Return the RSS/Atom feeds an HTML page announces with <link rel="alternate">."""
    return _feeds(LexborHTMLParser(html or ""), url)


def _base_url(tree: LexborHTMLParser, url: str) -> str:
    base = tree.css_first("base[href]")
    href = base.attributes.get("href") if base is not None else None
    return normalize_url(href or "", url) or url if href else url


def _feeds(tree: LexborHTMLParser, url: str) -> tuple[str, ...]:
    base = _base_url(tree, url)
    found: list[str] = []
    for link in tree.css("link[href]"):
        rel = (link.attributes.get("rel") or "").lower().split()
        kind = (link.attributes.get("type") or "").lower().split(";")[0].strip()
        if "alternate" not in rel or kind not in FEED_TYPES:
            continue
        feed = normalize_url(link.attributes.get("href") or "", base)
        # Comment feeds (WordPress) list comments, not posts.
        if feed and feed not in found and "/comments/" not in feed:
            found.append(feed)
    return tuple(found)


# --------------------------------------------------------------------------
# HTML: release links


@dataclass
class _Link:
    """One candidate anchor and what its surroundings say about it."""

    node: LexborNode
    url: str
    #: Structural path from <body> to the anchor (tags and first class words).
    path: tuple[str, ...]
    #: Ancestor mem_ids, nearest first (the anchor itself excluded).
    ancestors: tuple[int, ...]
    in_main: bool
    in_heading: bool


def find_release_links(html: str, url: str) -> tuple[ListingEntry, ...]:
    """Return the releases an HTML listing page links to, in page order.

    No selectors per site: the anchors are grouped by their structural path
    (the items of one list share it), furniture regions are skipped (header,
    nav, footer, aside, breadcrumbs, menus, skip links, share bars), and each
    group is scored on evidence: a date in the item or the URL, a URL under
    the listing's path, a title-like link text, a heading, the main content
    area. Each entry carries the title, the date and the kind label the item shows.
    """
    return _release_links(LexborHTMLParser(html or ""), url)


def _words(node: LexborNode) -> set[str]:
    """Words of an element's class names and id ("site-header mainNav" -> site, header,
    main, nav); layout modifiers such as "has-sidebar" or "no-menu" say nothing."""
    attrs = node.attributes
    names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".split()
    words: set[str] = set()
    for name in names:
        # A BEM modifier says how a block looks, not what it is: "grid--sidebar" is a grid.
        name = name.split("--", 1)[0]
        name = _CAMEL_RE.sub("-", name).lower()
        name = name.replace("ö", "o").replace("ä", "a").replace("å", "a")
        parts = [w for w in _WORD_SPLIT_RE.split(name) if w]
        if not MODIFIER_WORDS.intersection(parts):
            words.update(parts)
    return words


def _signature(node: LexborNode) -> str:
    tag = node.tag or ""
    if tag in RECORD_TAGS:
        return tag  # li.odd / li.even are the same item
    cls = (node.attributes.get("class") or "").split()
    return f"{tag}.{re.sub(r'[0-9]+', '', cls[0])}" if cls else tag


def _collect_links(tree: LexborHTMLParser, url: str) -> tuple[list[_Link], dict[int, set[str]]]:
    """Every anchor outside furniture whose URL could be a release.

    Also returns, per element (mem_id), up to two URLs of releases or
    listing pages beneath it: an item never holds two of them.
    """
    body = tree.body
    urls_under: dict[int, set[str]] = defaultdict(set)
    if body is None:
        return [], urls_under
    base = _base_url(tree, url)
    listing_base = _listing_base(urlsplit(url).path)
    main_ids = {m.mem_id for sel in MAIN_SELECTORS for m in tree.css(sel)}
    # Wrappers around the main area or the page's h1 ("page has-sidebar") are never furniture.
    around_main = {a for m in tree.css(",".join((*MAIN_SELECTORS, "h1"))) for a in _ancestor_ids(m)}
    links: list[_Link] = []
    for anchor in body.css("a[href]"):
        target = normalize_url(anchor.attributes.get("href") or "", base)
        if target is None:
            continue
        if not _is_release_url(target, url):
            if _same_site(target, url) and _listing_base(urlsplit(target).path) == listing_base:
                _mark_ancestors(anchor, target, urls_under)  # pagination bounds items
            continue
        _mark_ancestors(anchor, target, urls_under)
        chain: list[LexborNode] = []
        node = anchor.parent
        while node is not None and node.tag not in {"body", "html", None}:
            chain.append(node)
            node = node.parent
        path: list[str] = []
        excluded = in_main = in_heading = in_item = False
        # Walk from the top so that "inside an item / the main area" is known on the way down.
        for element in reversed(chain):
            tag = element.tag or ""
            if element.mem_id not in around_main and _is_furniture(
                element, tag, in_item=in_item, in_main=in_main
            ):
                excluded = True
                break
            in_item = in_item or tag in RECORD_TAGS
            in_main = in_main or element.mem_id in main_ids
            in_heading = in_heading or tag in HEADING_TAGS
            path.append(_signature(element))
        if excluded or _words(anchor) & FURNITURE_WORDS:
            continue
        links.append(
            _Link(
                node=anchor,
                url=target,
                path=(*path, "a"),
                ancestors=tuple(e.mem_id for e in chain),
                in_main=in_main,
                in_heading=in_heading,
            )
        )
    return links, urls_under


def _ancestor_ids(node: LexborNode) -> list[int]:
    found = []
    parent = node.parent
    while parent is not None and parent.tag not in {"body", "html", None}:
        found.append(parent.mem_id)
        parent = parent.parent
    return found


def _is_furniture(element: LexborNode, tag: str, *, in_item: bool, in_main: bool) -> bool:
    """True for header, nav, footer, aside, breadcrumbs, menus, share bars ...

    A header or footer inside one list item (WordPress "entry-header") or inside
    the main area is part of the content.
    """
    if tag in FURNITURE_TAGS:
        return True
    if (element.attributes.get("role") or "").lower() in FURNITURE_ROLES:
        return True
    words = _words(element)
    if words & FURNITURE_WORDS:
        return True
    if in_item or in_main or words & ITEM_WORDS:
        return False
    return tag in SECTION_FURNITURE_TAGS or bool(words & SECTION_WORDS)


def _mark_ancestors(anchor: LexborNode, target: str, urls_under: dict[int, set[str]]) -> None:
    node = anchor.parent
    while node is not None and node.tag not in {"body", "html", None}:
        bucket = urls_under[node.mem_id]
        if len(bucket) < 2:
            bucket.add(target)
        node = node.parent


def _text(node: LexborNode | None) -> str:
    return _clean(node.text(separator=" ")) if node is not None else ""


def _clean(text: str) -> str:
    return _SPACE_RE.sub(" ", text or "").strip()


def _item_of(link: _Link, urls_under: dict[int, set[str]]) -> LexborNode:
    """The element holding one list item: the highest ancestor with no other release."""
    item = link.node
    for mem_id in link.ancestors:
        parent = item.parent
        if parent is None or parent.mem_id != mem_id or parent.tag in {"main", "body"}:
            break
        if item.tag in RECORD_TAGS or len(urls_under.get(mem_id, ())) > 1:
            break
        item = parent
    return item


def _kind_from_label(text: str) -> str | None:
    match = _KIND_RE.match(text or "")
    return KIND_LABELS[match.group(1).lower()] if match else None


def _kind_from_title(title: str) -> str | None:
    match = re.match(r"^\s*(pressmeddelande|pressinbjudan)\s*[:–—-]", title, re.IGNORECASE)
    return KIND_LABELS[match.group(1).lower()] if match else None


def _item_kind(item: LexborNode, title: str) -> str | None:
    kind = _kind_from_title(title)
    if kind:
        return kind
    for element in item.css("span, div, p, small, em, strong, b, i, a, li, dt, dd, time, mark"):
        text = _text(element)
        if 0 < len(text) <= 40 and text != title:
            kind = _kind_from_label(text)
            if kind:
                return kind
    return None


def _item_date(item: LexborNode, title: str) -> str | None:
    """The date an item shows: <time>, a "Publicerad" label, any date in its text, or
    a date line just before it (<dt>2020-02-28</dt><dd><a ...></dd>)."""
    for time in item.css("time"):
        value = normalize_datetime(time.attributes.get("datetime") or "") or parse_date(_text(time))
        if value:
            return value
    text = _text(item)
    if title and title in text:
        # A date inside the title ("Valet 2022-09-11") is not the item's date.
        text = text.replace(title, " ", 1)
    value = parse_labelled_dates(text).get("published") or parse_date(text)
    if value:
        return value
    if item.tag == "dd":
        previous = _sibling(item, forward=False)
        if previous is not None and previous.tag == "dt":
            return parse_date(_text(previous))
    if item.tag in HEADING_TAGS:
        # A flat list: <h3><a/></h3><p>2020-02-28</p><p>teaser</p><h3>...
        sibling = _sibling(item, forward=True)
        for _ in range(3):
            if sibling is None or sibling.tag in HEADING_TAGS or sibling.css_first("a[href]"):
                break
            value = parse_date(_text(sibling))
            if value:
                return value
            sibling = _sibling(sibling, forward=True)
    return None


def _sibling(node: LexborNode, *, forward: bool) -> LexborNode | None:
    """The next (or previous) element sibling."""
    sibling = node.next if forward else node.prev
    while sibling is not None and not sibling.is_element_node:
        sibling = sibling.next if forward else sibling.prev
    return sibling


def _item_title(link: _Link, item: LexborNode) -> str | None:
    anchor_text = _text(link.node)
    heading_sel = "h1, h2, h3, h4, h5, h6"
    if link.in_heading and anchor_text:
        return anchor_text
    inner = link.node.css_first(heading_sel)
    if inner is not None and _text(inner):
        return _text(inner)
    heading = item.css_first(heading_sel)
    if heading is not None and _text(heading) and (not anchor_text or _is_generic(anchor_text)):
        return _text(heading)
    if anchor_text and not _is_generic(anchor_text):
        return anchor_text
    title = link.node.attributes.get("title")
    if title:
        return _clean(title)
    image = link.node.css_first("img[alt]")
    alt = _clean(image.attributes.get("alt") or "") if image is not None else ""
    return alt or anchor_text or None


def _is_generic(text: str) -> bool:
    return len(text) < 4 or bool(_GENERIC_TEXT_RE.match(text))


@dataclass
class _Candidate:
    link: _Link
    entry: ListingEntry
    #: The item shows a date, or the URL carries one.
    dated: bool
    #: The URL lies under the listing's path.
    under: bool
    #: Evidence that the link is a release (0 to about 7).
    score: float


def _candidate(
    link: _Link, entry: ListingEntry, listing_base: str, *, has_main: bool
) -> _Candidate:
    dated = bool(entry.published or date_from_url(link.url))
    own = _listing_base(urlsplit(link.url).path)
    under = bool(listing_base) and own.startswith(listing_base + "/")
    title = entry.title or ""
    score = 2.0 * dated + 2.0 * under
    score += len(title) >= 20 or len(title.split()) >= 3
    score += link.in_main or not has_main
    score += 0.5 * link.in_heading + 0.5 * bool(entry.kind)
    return _Candidate(link, entry, dated=dated, under=under, score=score)


def _release_links(tree: LexborHTMLParser, url: str) -> tuple[ListingEntry, ...]:
    links, urls_under = _collect_links(tree, url)
    if not links:
        return ()
    has_main = any(link.in_main for link in links)
    listing_base = _listing_base(urlsplit(url).path)
    groups: dict[tuple[str, ...], list[_Candidate]] = defaultdict(list)
    for link in links:
        item = _item_of(link, urls_under)
        title = _item_title(link, item)
        entry = ListingEntry(
            url=link.url,
            title=title,
            published=_item_date(item, title or ""),
            kind=_item_kind(item, title or ""),
        )
        groups[link.path].append(_candidate(link, entry, listing_base, has_main=has_main))
    accepted = _accepted_groups(list(groups.values()))
    order = {id(link): index for index, link in enumerate(links)}
    return _merge(sorted(accepted, key=lambda c: order[id(c.link)]))


@dataclass(frozen=True)
class _Group:
    candidates: list[_Candidate]
    distinct: int
    quality: float
    dated: float
    under: float

    @property
    def weight(self) -> float:
        return self.quality * math.log2(1 + self.distinct)


def _rate(candidates: list[_Candidate]) -> _Group:
    n = len(candidates)
    return _Group(
        candidates=candidates,
        distinct=len({c.link.url for c in candidates}),
        quality=sum(c.score for c in candidates) / n,
        dated=sum(c.dated for c in candidates) / n,
        under=sum(c.under for c in candidates) / n,
    )


def _accepted_groups(groups: list[list[_Candidate]]) -> list[_Candidate]:
    """The candidates of the groups whose evidence says "list of releases"."""
    rated = [_rate(group) for group in groups]
    accepted = [
        g
        for g in rated
        if g.quality >= 3.5
        and max(g.dated, g.under) >= 0.5
        and (g.distinct >= 2 or g.quality >= 4.5)
    ]
    if accepted:
        best = max(accepted, key=lambda g: g.weight)
        # The releases of one listing share their evidence: when the main list lives
        # under the listing's path (or shows dates), a dated "most read" box elsewhere
        # on the site (or undated "Pressbilder"/"Presskontakter" links) is not part of it.
        if best.under >= 0.8:
            accepted = [g for g in accepted if g.under >= 0.5]
        if best.dated >= 0.8:
            accepted = [g for g in accepted if g.dated >= 0.5]
        return [c for g in accepted for c in g.candidates]
    # Nothing dated and nothing under the listing: an undated list of
    # title-like links in the main area is the best remaining guess.
    best = max(rated, key=lambda g: g.weight)
    if best.quality >= 2 and best.distinct >= 3:
        return best.candidates
    return []


def _merge(candidates: list[_Candidate]) -> tuple[ListingEntry, ...]:
    """One entry per URL, in page order, keeping the best title and any date/kind."""
    merged: dict[str, ListingEntry] = {}
    for candidate in candidates:
        entry = candidate.entry
        old = merged.get(entry.url)
        if old is None:
            merged[entry.url] = entry
            continue
        title = old.title
        if not title or (_is_generic(title) and entry.title and not _is_generic(entry.title)):
            title = entry.title
        merged[entry.url] = ListingEntry(
            url=old.url,
            title=title,
            published=old.published or entry.published,
            kind=old.kind or entry.kind,
            updated=old.updated or entry.updated,
        )
    return tuple(merged.values())


# --------------------------------------------------------------------------
# HTML: pagination


def find_next_page(html: str, url: str) -> str | None:
    """Return the URL of the next listing page, or None on the last page.

    In order of trust: rel="next"; a link saying "Nästa", "Visa fler", "Äldre
    inlägg", "Next" (text, aria-label or title); the numbered link of the
    current page + 1; a "›"/"»" link; a link to this URL with one page
    parameter (?page=, /page/N/, any query number) one step further. A link
    back to this page or an earlier one is never returned.
    """
    return _next_page(LexborHTMLParser(html or ""), url)


def _page_number(url: str, current: str) -> tuple[str, int] | None:
    """The (parameter, value) in which ``url`` differs from ``current``, if numeric."""
    a, b = urlsplit(url), urlsplit(current)
    if a.path != b.path:
        pa, pb = _PAGE_PATH_RE.search(a.path), _PAGE_PATH_RE.search(b.path)
        base_a = _PAGE_PATH_RE.sub("/", a.path)
        base_b = _PAGE_PATH_RE.sub("/", b.path)
        if pa and base_a.rstrip("/") == base_b.rstrip("/"):
            return "/page/", int(pa.group(1))
        if pb and base_a.rstrip("/") == base_b.rstrip("/"):
            return "/page/", 1  # a link from /page/N/ back to the first page
        return None
    qa, qb = dict(parse_qsl(a.query)), dict(parse_qsl(b.query))
    diff = [k for k in set(qa) | set(qb) if qa.get(k) != qb.get(k)]
    if len(diff) != 1:
        return None
    key = diff[0]
    value = qa.get(key)
    if value is None:
        return key, 0  # the parameter dropped: back to the first page
    return (key, int(value)) if value.isdigit() else None


def _current_number(current: str, key: str) -> int | None:
    if key == "/page/":
        match = _PAGE_PATH_RE.search(urlsplit(current).path)
        return int(match.group(1)) if match else 1
    value = dict(parse_qsl(urlsplit(current).query)).get(key)
    return int(value) if value and value.isdigit() else None


def _goes_forward(candidate: str, current: str) -> bool:
    """False for a link to this page or, by its page number, an earlier one."""
    if candidate == current or not _same_site(candidate, current):
        return False
    number = _page_number(candidate, current)
    if number is None:
        return True
    key, value = number
    now = _current_number(current, key)
    return now is None or value > now


def _link_label(anchor: LexborNode) -> str:
    attrs = anchor.attributes
    return _clean(_text(anchor) or attrs.get("aria-label") or attrs.get("title") or "")


def _next_page(tree: LexborHTMLParser, url: str) -> str | None:
    current = normalize_url(url, url) or url
    base = _base_url(tree, url)

    def resolve(node: LexborNode) -> str | None:
        target = normalize_url(node.attributes.get("href") or "", base)
        return target if target and _goes_forward(target, current) else None

    for node in tree.css("link[rel][href], a[rel][href]"):
        if "next" in (node.attributes.get("rel") or "").lower().split():
            target = resolve(node)
            if target:
                return target

    anchors = [a for a in tree.css("a[href]") if a.attributes.get("href", "").strip("# ")]
    symbols: list[str] = []
    numbered: dict[int, str] = {}
    current_number: int | None = None
    for anchor in anchors:
        label = _link_label(anchor)
        aria = _clean(anchor.attributes.get("aria-label") or anchor.attributes.get("title") or "")
        words = re.sub(r"^[\s«‹<←]+|[\s»›>→]+$", "", label)
        for text in (words, aria):
            if text and _NEXT_WORDS_RE.match(text) and not _PREVIOUS_RE.search(text):
                target = resolve(anchor)
                if target and (_STRONG_NEXT_RE.match(text) or _same_listing(target, current)):
                    return target
        number = _PAGE_LABEL_RE.match(label) or _PAGE_LABEL_RE.match(aria)
        if number:
            value = int(number.group(1))
            target = normalize_url(anchor.attributes.get("href") or "", base)
            if target == current or _is_current(anchor):
                current_number = value
            elif target and _same_listing(target, current):
                numbered.setdefault(value, target)
        elif label in _NEXT_SYMBOLS and not _PREVIOUS_RE.search(aria):
            target = resolve(anchor)
            if target and _same_listing(target, current):
                symbols.append(target)
    if current_number is None:
        current_number = _marked_page_number(tree)
    if current_number is None and numbered:
        current_number = 1 if 2 in numbered or 1 not in numbered else None
    if current_number is not None:
        target = numbered.get(current_number + 1)
        if target and _goes_forward(target, current):
            return target
    if symbols:
        return symbols[0]
    return _incremented_link(anchors, base, current)


def _same_listing(target: str, current: str) -> bool:
    """True when ``target`` looks like another page of the listing at ``current``."""
    if not _same_site(target, current):
        return False
    t, c = urlsplit(target), urlsplit(current)
    own, base = _listing_base(t.path), _listing_base(c.path)
    if own == base or own.startswith(base + "/"):
        return True
    keys = {k.lower() for k, _ in parse_qsl(t.query)}
    return bool(keys & PAGE_KEYS) or bool(_PAGE_PATH_RE.search(t.path))


def _is_current(anchor: LexborNode) -> bool:
    attrs = anchor.attributes
    return attrs.get("aria-current") is not None or bool(
        _words(anchor) & {"current", "active", "selected", "aktiv", "vald"}
    )


def _marked_page_number(tree: LexborHTMLParser) -> int | None:
    """The current page number as a pager shows it (aria-current or a "current" class)."""
    for node in tree.css("[aria-current], .current, .active, .is-active, .selected"):
        if node.tag == "a" and node.attributes.get("aria-current") is None:
            continue
        match = _PAGE_LABEL_RE.match(_text(node))
        if match:
            return int(match.group(1))
    return None


def _incremented_link(anchors: list[LexborNode], base: str, current: str) -> str | None:
    """A link to this URL with one page number one step further."""
    best: tuple[int, str] | None = None
    for anchor in anchors:
        target = normalize_url(anchor.attributes.get("href") or "", base)
        if not target or not _goes_forward(target, current):
            continue
        number = _page_number(target, current)
        if number is None:
            continue
        key, value = number
        now = _current_number(current, key)
        # No such parameter on this page: it is the first page, numbered 0 or 1.
        first = {"page", "sida", "p", "pg", "paged"}
        if now is None and (value < 1 or (value == 1 and key in first)):
            continue
        if best is None or value < best[0]:
            best = (value, target)
    return best[1] if best else None
