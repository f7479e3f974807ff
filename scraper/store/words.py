"""Swedish words for the search index: tokens, stems, folding (pure, no SQL).

``stem_document`` makes the shadow text of a release: every word of the title,
lead and body Snowball-stemmed (Swedish, then the definite endings -an/-et
Snowball leaves) and folded to ASCII-like letters ("Medborgarlöftet" ->
"medborgarloft"), so ``skolor`` finds "skolan" and ``vastervik`` finds
"Västervik".
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources

import snowballstemmer

__all__ = [
    "PAIR_TAG",
    "TITLE_TAG",
    "fold",
    "pair_tag",
    "pair_tags",
    "stem_document",
    "stem_word",
    "title_tag",
    "title_tags",
    "tokenize",
]

# FTS5's unicode61 tokenizer: runs of letters, digits (and private use);
# everything else, the underscore included, separates tokens.
_TOKEN_RE = re.compile(r"[^\W_]+")
_VOWELS = frozenset("aeiouyäåö")
# Definite endings the Swedish Snowball stemmer leaves alone ("skolan",
# "löftet"); stripped after it so they meet their indefinite forms.
_EXTRA_SUFFIXES = ("an", "et")
_STEMMER = snowballstemmer.stemmer("swedish")


def tokenize(text: str) -> list[str]:
    """Split text into lower-case NFC tokens the way FTS5's unicode61 does."""
    return _TOKEN_RE.findall(unicodedata.normalize("NFC", text).lower())


@lru_cache(maxsize=65536)
def fold(token: str) -> str:
    """Drop diacritics: "västervik" -> "vastervik", "idé" -> "ide"."""
    decomposed = unicodedata.normalize("NFKD", token)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _r1_start(word: str) -> int:
    """Start of the Snowball R1 region (after the first vowel-consonant pair, at least 3)."""
    for i in range(1, len(word)):
        if word[i] not in _VOWELS and word[i - 1] in _VOWELS:
            return max(i + 1, 3)
    return len(word)


def _stem(token: str) -> str:
    stem = _STEMMER.stemWord(token)
    for _ in range(2):
        r1 = _r1_start(stem)
        for suffix in _EXTRA_SUFFIXES:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= r1:
                stem = stem[: -len(suffix)]
                break
        else:
            break
    return stem


@lru_cache(maxsize=65536)
def stem_word(token: str) -> str:
    """Stem one lower-case token and fold it: "medborgarlöften" -> "medborgarloft"."""
    if not token.isalpha():
        return fold(token)
    return fold(_stem(token))


@lru_cache(maxsize=65536)
def _variant(token: str) -> str | None:
    """The stem of the token typed without diacritics, when it differs from its stem."""
    if not token.isalpha():
        return None
    folded = fold(token)
    if folded == token:
        return None
    variant = _stem(folded)
    return variant if variant != stem_word(token) else None


#: The index token of a word's stem in the title: "tt" + the folded stem ("Budgeten": "ttbudg").
TITLE_TAG = "tt"
_NOT_TAG_RE = re.compile(r"[^0-9a-z]")


def title_tag(token: str) -> str | None:
    """The ``tags`` token saying a title has this word (any inflection), or None.

    A word in the title is the strongest sign that a release is about it; as
    a token of its own its postings list holds only the releases that have
    it there, so "these matches with the word in the title, newest first" is
    an index walk (a column filter on the word would read every release that
    has it anywhere).
    """
    stem = _NOT_TAG_RE.sub("", stem_word(token.lower()))
    return TITLE_TAG + stem if stem else None


def title_tags(title: str) -> list[str]:
    """The distinct title tags of a title, in order."""
    tags = (title_tag(token) for token in tokenize(title or ""))
    return list(dict.fromkeys(t for t in tags if t))


#: The index token of two adjacent common words: "pp" + stem + "0" + stem
#: ("nya skolan": "ppny0skol"); the stems are all a-z, so the 0 parts them.
PAIR_TAG = "pp"
_STEM_RE = re.compile(r"[a-z]+")


@cache
def _stems_of(name: str) -> frozenset[str]:
    """The stems of the words of ``scraper/data/<name>`` (one a line, # comments), a-z only."""
    text = resources.files("scraper").joinpath("data", name).read_text(encoding="utf-8")
    words = (line.strip() for line in text.splitlines())
    stems = (stem_word(w) for w in words if w and not w.startswith("#"))
    return frozenset(s for s in stems if _STEM_RE.fullmatch(s))


def pair_tag(first: str, second: str) -> str | None:
    """The ``tags`` token saying a release has stem ``first`` right before ``second``, or None.

    A phrase is found in FTS5 by checking word positions in every release
    that has all its words: for two common words (most releases have both)
    that is 50 µs a release, whatever the phrase's own matches. A pair of
    common words (``data/common_words.txt``) that are not both function words
    (``data/stop_words.txt``: "för att" is no journalist's query) is a token
    of its own, so the phrase is one posting list.
    """
    common = _stems_of("common_words.txt")
    if first not in common or second not in common:
        return None
    stop = _stems_of("stop_words.txt")
    if first in stop and second in stop:
        return None
    return f"{PAIR_TAG}{first}0{second}"


def pair_tags(stems: str) -> list[str]:
    """The distinct pair tags of a release's stems (``stem_document``), in order."""
    words = stems.split()
    tags = (pair_tag(a, b) for a, b in zip(words, words[1:], strict=False))
    return list(dict.fromkeys(t for t in tags if t))


def stem_document(title: str, lead: str | None, body: str) -> str:
    """Return the shadow text of a release: its words stemmed and folded, in order.

    Stems of words typed without their diacritics ("lost" for "löst") follow
    at the end when they differ, so a query typed on a keyboard without å, ä
    and ö still meets them.
    """
    stems: list[str] = []
    variants: dict[str, None] = {}
    for part in (title, lead or "", body):
        for token in tokenize(part):
            stems.append(stem_word(token))
            variant = _variant(token)
            if variant is not None:
                variants[variant] = None
    if variants:
        stems.append("")
        stems.extend(variants)
    return " ".join(stems)
