"""Organisation names: what a page calls its owner, and whether two names are one (pure).

"Västerviks kommun", "Västervik", "vasterviks-kommun" (a newsroom slug) and
"Västerviks Kommun – Pressrum" all name one municipality; "Socialdemokraterna
i Västervik", "Västervik Energi AB", "Västerviksbostäder" and "Region
Västervik" do not. Names are compared by their *core*: folded to ASCII lower
case, with the organisation-type word ("kommun", "stad", "Region") taken off
and a genitive "s" allowed either side.
"""

from __future__ import annotations

import re
import unicodedata

from selectolax.lexbor import LexborHTMLParser

from .text import clean_text, node_text

__all__ = [
    "GENERIC_NAME_WORDS",
    "PLATFORM_NAMES",
    "fold",
    "organisation_core",
    "page_names",
    "same_organisation",
]

# --------------------------------------------------------------------------
# Word lists (data, not logic)

#: Words that say an organisation is a municipality ...
MUNICIPAL_WORDS = frozenset(
    {"kommun", "kommunen", "kommuns", "kommunens", "stad", "staden", "stads", "stadens",
     "municipality", "city"}
)  # fmt: skip
#: ... or a region (county council); "län" goes with them ("Region Jönköpings län").
REGIONAL_WORDS = frozenset({"region", "regionen", "landsting", "landstinget", "lan", "county"})
#: Regions that are also the municipality (Region Gotland is Gotlands kommun).
MUNICIPAL_REGIONS = frozenset({"gotland"})
#: Newsroom platforms, never an organisation's own name.
PLATFORM_NAMES = frozenset(
    {"mynewsdesk", "via tt", "tt", "cision", "notified", "newsmachine", "pressmachine"}
)
#: Words around a name on newsroom pages that are not part of it.
GENERIC_NAME_WORDS = frozenset(
    {
        "pressrum", "pressrummet", "nyhetsrum", "newsroom", "press", "pressmeddelanden",
        "pressmeddelande", "nyheter", "nyhet", "aktuellt", "startsida", "start", "hem", "home",
        "media", "mediarum", "nyhetsarkiv", "arkiv", "news", "logotyp", "logo", "startsidan",
        "till", "ga",
    }
)  # fmt: skip
#: Separators of a page title's parts ("Pressrum | Västerviks kommun").
_TITLE_SPLIT_RE = re.compile(r"\s+[|–—·•:»>-]+\s+|\s*[|·•»]\s*")
#: "Pressmeddelanden från X", "Nyheter från X", "Pressrum för X".
_FROM_RE = re.compile(
    r"^(?:(?:alla\s+)?(?:press\w*|nyhet\w*|news|newsroom|aktuellt)\s+)+(?:från|för|hos|from|of)\s+",
    re.IGNORECASE,
)
#: "Om Västerviks kommun", "About Västervik".
_ABOUT_RE = re.compile(r"^(?:om|about)\s+(.{2,80})$", re.IGNORECASE)


def fold(text: str) -> str:
    """Lower case, å/ä/ö and other accents to ASCII, punctuation to single spaces."""
    text = unicodedata.normalize("NFKD", (text or "").lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r":s\b", "s", text)  # "TT:s", "SVT:s"
    return " ".join(re.findall(r"[a-z0-9]+", text))


def organisation_core(name: str) -> tuple[str, str | None]:
    """The folded name without its type word, and the type: "municipal", "regional" or None.

    "Västerviks kommun" -> ("vasterviks", "municipal"); "Region Jönköpings län"
    -> ("jonkopings", "regional"); "Socialdemokraterna i Björkby" -> (as folded, None).
    """
    words = fold(name).split()
    kind = None
    if words and words[0] in {"city", "region"} and len(words) > 2 and words[1] == "of":
        words = words[2:]  # "City of Stockholm"
        kind = "municipal"
    while words and words[-1] in MUNICIPAL_WORDS | REGIONAL_WORDS and len(words) > 1:
        kind = kind or ("municipal" if words[-1] in MUNICIPAL_WORDS else "regional")
        words.pop()
    if len(words) > 1 and words[0] in REGIONAL_WORDS:
        kind = kind or "regional"
        words.pop(0)
    if len(words) == 1 and re.fullmatch(r"[a-z]{3,}kommun(en)?", words[0]):
        # A slug written as one word ("bjorkbykommun"); "stad" is left alone (Halmstad).
        words = [re.sub(r"kommun(en)?$", "", words[0])]
        kind = kind or "municipal"
    return " ".join(words), kind


def _genitive_equal(a: str, b: str) -> bool:
    return a == b or a == b + "s" or b == a + "s"


def same_organisation(name: str, other: str) -> tuple[bool, str]:
    """Whether two names name one organisation, and why (one line of evidence)."""
    core, kind = organisation_core(name)
    other_core, other_kind = organisation_core(other)
    if not core or not other_core:
        return False, f"{other!r}: no name to compare"
    if not _genitive_equal(core, other_core):
        return False, f"{other!r} (core {other_core!r}) is not {name!r} (core {core!r})"
    if kind and other_kind and kind != other_kind and core.rstrip("s") not in MUNICIPAL_REGIONS:
        return False, f"{other!r} is a {other_kind} body, {name!r} a {kind} one"
    return True, f"{other!r} names {name!r} (core {core!r})"


def _strip_generic(part: str) -> str:
    part = _FROM_RE.sub("", clean_text(part))
    part = re.sub(r":s\s+(pressrum|nyhetsrum|newsroom)$", "", part, flags=re.IGNORECASE)
    words = part.split()
    while words and fold(words[-1]) in GENERIC_NAME_WORDS:
        words.pop()
    while words and fold(words[0]) in GENERIC_NAME_WORDS:
        words.pop(0)
    return " ".join(words).strip(" ,.:;-–—")


def _usable(name: str) -> bool:
    folded = fold(name)
    return bool(folded) and folded not in PLATFORM_NAMES and len(name) <= 80


def page_names(tree: LexborHTMLParser) -> tuple[tuple[str, str], ...]:
    """The names a page gives its owner, as (where, name), most reliable first.

    Where: "og:site_name", "application-name", "about" (an "Om X" heading),
    "h1", "logo" (the alt text of a header logo) and "title" (the parts of
    <title>). Platform names ("Mynewsdesk") and generic words ("Pressrum") are
    left out.
    """
    found: list[tuple[str, str]] = []

    def add(where: str, raw: str) -> None:
        name = _strip_generic(raw)
        if _usable(name) and all(fold(name) != fold(n) for _, n in found):
            found.append((where, name))

    for meta in tree.css("meta[property], meta[name]"):
        key = (meta.attributes.get("property") or meta.attributes.get("name") or "").lower()
        if key in {"og:site_name", "application-name"}:
            add(key, meta.attributes.get("content") or "")
    for heading in tree.css("h1, h2, h3, h4"):
        match = _ABOUT_RE.match(node_text(heading))
        if match:
            add("about", match.group(1))
    heading = tree.css_first("h1")
    if heading is not None:
        add("h1", node_text(heading))
    for image in tree.css("header img[alt], [class*=logo] img[alt], img[class*=logo][alt]"):
        add("logo", image.attributes.get("alt") or "")
    title = tree.css_first("title")
    if title is not None:
        for part in _TITLE_SPLIT_RE.split(node_text(title)):
            add("title", part)
    return tuple(found)
