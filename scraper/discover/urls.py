"""Listing URLs: normalisation, and what a URL alone says about a link (pure).

``normalize_url`` resolves and cleans every href the discover modules read;
``is_release_url`` is the URL evidence that a link could be a release and
``listing_base_path`` the path a listing's releases live under.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qsl, quote, unquote, urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser

from scraper.sites import parse_origin, same_host

__all__ = [
    "ARCHIVE_SEGMENTS",
    "FILE_EXTENSIONS",
    "NON_RELEASE_SEGMENTS",
    "PAGE_KEYS",
    "PAGE_PATH_RE",
    "base_url",
    "canonical_url",
    "is_release_url",
    "listing_base_path",
    "normalize_url",
    "same_site",
    "trusted_canonical",
]

# --------------------------------------------------------------------------
# Word lists (data, not logic)

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
#: A page number in the path: "/nyheter/page/2/", "/sida/3".
PAGE_PATH_RE = re.compile(r"/(?:page|sida)/(\d+)/?$", re.IGNORECASE)
#: Last path segment of a year archive: "/2022/", "/nyheter-2022/", "/arkiv_2019/".
_YEAR_ARCHIVE_RE = re.compile(
    r"((nyheter|nyhetsarkiv|arkiv|archive|news|press|pressmeddelanden|ar|year)[-_]?)?"
    r"(19|20)\d\d"
)


def normalize_url(href: str, base: str) -> str | None:
    """Resolve ``href`` against ``base``; drop the fragment and keep the query.

    Returns None for links that lead to no web page (mailto:, tel:,
    javascript:, empty or pure-fragment hrefs resolve to the base itself).
    """
    href = (href or "").strip()
    if not href or href.lower().startswith(("mailto:", "tel:", "javascript:", "data:", "sms:")):
        return None
    try:
        joined = urljoin(base, href)
        parts = urlsplit(joined)
    except ValueError:
        return None
    origin = parse_origin(joined)  # None for a bad port or IPv6 literal too
    if origin is None:
        return None
    path, query = _escapes(parts.path or "/"), _escapes(parts.query)
    return urlunsplit((origin.scheme, origin.netloc, path, query, ""))


def canonical_url(url: str) -> str:
    """One spelling of ``url`` for identity: lower-case host, no default port, no
    fragment, non-ASCII letters percent-encoded (NFC, upper-case hex) as an HTTP
    client sends them, so that "/år.html", "/%c3%a5r.html" and "/%C3%A5r.html" are one."""
    return normalize_url(url, url) or url


def _escapes(part: str) -> str:
    part = unicodedata.normalize("NFC", part)
    part = re.sub(r"%[0-9a-f]{2}", lambda m: m.group(0).upper(), part)
    return quote(part, safe="/%:@!$&'()*+,;=-._~?[]")


def same_site(url: str, other: str) -> bool:
    """True when both URLs are on the same host (a leading "www." aside) and port
    (http and https on their default ports count as one)."""
    return same_host(url, other)


def listing_base_path(path: str) -> str:
    """The path a listing's releases live under: "/nyheter/page/2/" -> "/nyheter"."""
    path = PAGE_PATH_RE.sub("/", unquote(path))
    path = re.sub(r"/(index|default)\.[a-z]+$", "/", path, flags=re.IGNORECASE)
    path = re.sub(r"\.[a-z0-9]+$", "", path, flags=re.IGNORECASE)
    return path.rstrip("/").lower()


def _segments(path: str) -> list[str]:
    return [s for s in unquote(path).lower().split("/") if s]


def is_release_url(url: str, page_url: str) -> bool:
    """URL evidence alone: could ``url`` be a release linked from listing ``page_url``?"""
    if not same_site(url, page_url):
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
    if PAGE_PATH_RE.search(parts.path) or _YEAR_ARCHIVE_RE.fullmatch(last):
        return False  # pagination or a year archive (/nyheter-2022/)
    if re.search(r"/\d{4}(/\d{1,2})?/?$", parts.path):
        return False  # date archive (/2020/ or /2020/02/)
    query_keys = {k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
    if query_keys & PAGE_KEYS:
        return False
    base, own = listing_base_path(page.path), listing_base_path(parts.path)
    if own == base and not parts.query:
        return False  # the listing itself
    # An ancestor of the listing (breadcrumbs, section start pages) is no release.
    return not (base.startswith(own + "/") or own == "")


def base_url(tree: LexborHTMLParser, url: str) -> str:
    """The URL links on the page resolve against: its <base href>, else ``url``."""
    base = tree.css_first("base[href]")
    href = base.attributes.get("href") if base is not None else None
    return normalize_url(href or "", url) or url if href else url


def trusted_canonical(canonical: str, final_url: str, listing_url: str) -> str:
    """The page's canonical URL, unless it names the home page, the listing or a parent.

    A CMS that puts ``<link rel="canonical" href="/">`` on every page would
    otherwise merge every release into one.
    """
    canonical = canonical_url(canonical)
    final_url = canonical_url(final_url)
    path = urlsplit(canonical).path.rstrip("/")
    own = urlsplit(final_url).path.rstrip("/")
    listing = urlsplit(canonical_url(listing_url)).path.rstrip("/")
    if canonical != final_url and (path in ("", listing) or own.startswith(path + "/")):
        return final_url
    return canonical
