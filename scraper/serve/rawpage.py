"""An archived raw page made safe to show (pure): no scripts, no loads from elsewhere.

``safe_page_html`` is defence in depth: the real guarantee is the response's
``Content-Security-Policy`` (``RAW_PAGE_CSP``: a sandbox with no scripts, no
requests but to the archive itself). The markup is cleaned all the same, so
the page also reads right in a browser that ignores the policy: scripts,
frames, plug-ins, ``<base>``, ``<link>`` and refresh/cookie ``<meta>`` are
removed, as are event-handler attributes and ``javascript:`` URLs; links point
to the original site (absolute); images point to the archive's copy
(``/<db>/-/media/<sha256>``) when it has one, else show only their alt text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = ["RAW_PAGE_CSP", "image_urls", "page_text", "safe_page_html"]

#: Sent with the archived page: an opaque-origin sandbox (no scripts, forms,
#: pop-ups), nothing fetched but images from the archive (or data: URLs) and
#: the page's own inline styles.
RAW_PAGE_CSP = (
    "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
    "form-action 'none'; base-uri 'none'; frame-ancestors 'self'"
)

_REMOVED_TAGS = (
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "link",
    "portal",
    "template",
)
#: Attributes that make a browser request a URL (besides an <img>'s src).
_LOADING_ATTRIBUTES = ("srcset", "poster", "background", "lowsrc", "dynsrc", "ping", "action")
_LAZY_SOURCES = ("data-src", "data-original", "data-lazy-src")
_URL_ATTRIBUTES = ("href", "src", "xlink:href", "formaction", "action", "cite")
_UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:text", "data:application")


def _resolve(base: str, value: str | None) -> str | None:
    if not value or not value.strip():
        return None
    try:
        return urljoin(base, value.strip())
    except ValueError:
        return None


def _image_source(node: LexborNode) -> str | None:
    attrs = node.attributes
    for name in ("src", *_LAZY_SOURCES):
        value = attrs.get(name)
        if value and not value.strip().lower().startswith("data:"):
            return value
    return None


def image_urls(html: str, base_url: str) -> list[str]:
    """Absolute URLs of the page's ``<img>`` elements, in page order."""
    tree = LexborHTMLParser(html)
    found = []
    for node in tree.css("img"):
        url = _resolve(base_url, _image_source(node))
        if url:
            found.append(url)
    return found


def _clean_attributes(node: LexborNode, base_url: str) -> None:
    for name, value in list(node.attributes.items()):
        lower = name.lower()
        text = (value or "").strip().lower().replace("\t", "").replace("\n", "")
        if (
            lower.startswith("on")
            or lower in _LOADING_ATTRIBUTES
            or (lower in _URL_ATTRIBUTES and text.startswith(_UNSAFE_SCHEMES))
        ):
            del node.attrs[name]
        elif lower == "href":
            absolute = _resolve(base_url, value)
            if absolute:
                node.attrs[name] = absolute


def safe_page_html(html: str, base_url: str, media_url: Callable[[str], str | None]) -> str:
    """The page's HTML without scripts or outside loads (see the module docstring).

    :param base_url: the URL the page was fetched at (its links resolve against it).
    :param media_url: the archive's URL of an image's absolute URL, None when not archived.
    """
    tree = LexborHTMLParser(html)
    tree.strip_tags(list(_REMOVED_TAGS))
    for node in tree.css("meta"):
        if node.attributes.get("http-equiv") is not None:
            node.decompose()
    for node in tree.css("picture source, video, audio, track"):
        for name in ("src", "srcset"):
            if name in node.attributes:
                del node.attrs[name]
    for node in tree.css("img"):
        original = _resolve(base_url, _image_source(node))
        archived = media_url(original) if original else None
        for name in ("src", "srcset", "sizes", *_LAZY_SOURCES):
            if name in node.attributes:
                del node.attrs[name]
        if archived:
            node.attrs["src"] = archived
        elif original:
            node.attrs["data-original-src"] = original
    if tree.root is not None:
        for node in tree.root.traverse():
            if node.tag and not node.tag.startswith("-"):
                _clean_attributes(node, base_url)
    return tree.html or ""


def page_text(html: str) -> str:
    """The page's visible text, one block per line (scripts and styles left out)."""
    tree = LexborHTMLParser(html)
    tree.strip_tags(["script", "style", "noscript", "template"])
    root = tree.body or tree.root
    if root is None:
        return ""
    text = root.text(separator="\n", strip=True)
    return "\n".join(_squeeze(text.splitlines())) + "\n"


def _squeeze(lines: Iterable[str]) -> Iterable[str]:
    for line in lines:
        line = " ".join(line.split())
        if line:
            yield line
