"""Site furniture: the page regions that hold navigation, never releases (pure).

Header, nav, footer, aside, breadcrumbs, menus, skip links, cookie and share
bars are told apart by tag, ARIA role and the words of class names and ids.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

__all__ = [
    "FURNITURE_ROLES",
    "FURNITURE_TAGS",
    "FURNITURE_WORDS",
    "ITEM_WORDS",
    "MODIFIER_WORDS",
    "SECTION_FURNITURE_TAGS",
    "SECTION_WORDS",
    "class_words",
    "is_furniture",
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
_WORD_SPLIT_RE = re.compile(r"[^a-z0-9]+")
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")


def class_words(node: LexborNode) -> set[str]:
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


def is_furniture(element: LexborNode, tag: str, *, in_item: bool, in_main: bool) -> bool:
    """True for header, nav, footer, aside, breadcrumbs, menus, share bars ...

    A header or footer inside one list item (WordPress "entry-header") or inside
    the main area is part of the content.
    """
    if tag in FURNITURE_TAGS:
        return True
    if (element.attributes.get("role") or "").lower() in FURNITURE_ROLES:
        return True
    words = class_words(element)
    if words & FURNITURE_WORDS:
        return True
    if in_item or in_main or words & ITEM_WORDS:
        return False
    return tag in SECTION_FURNITURE_TAGS or bool(words & SECTION_WORDS)
