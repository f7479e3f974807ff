"""Swedish full-text search over the archive: the FTS5 index and the query language.

The index ``releases_fts`` is an external-content FTS5 table over ``releases``
with four columns:

    title, lead, body   the text as written; tokenizer unicode61 with
                        remove_diacritics 0, so å, ä and ö are letters of their
                        own ("får" is not "far")
    stems               the shadow column ``releases.stems``: every word of the
                        title, lead and body Snowball-stemmed (Swedish, then
                        the definite endings -an/-et Snowball leaves) and
                        folded to ASCII-like letters ("Medborgarlöftet" ->
                        "medborgarloft"), written by the store with
                        ``stem_document``

A user's word becomes "the exact word in title/lead/body OR its stem in the
shadow column", so ``skolor`` finds "skolan", ``vastervik`` finds "Västervik",
and ``rank_expression`` puts releases where a word matched as written first,
then bm25 (exact columns weighted above the shadow column): a release that says
"får" ranks above one that only says "far".

Query language (``build_match_query``):

    skolor bygge        both words (any inflection)
    skol*               prefix (with å/ä/ö: as typed; without: stems, folded)
    "nya skolan"        phrase (also matched inflected: "nya skolor")
    skola OR förskola   either
    skola NOT förskola  the first without the second (also: skola -förskola)
    skola AND bygge     both (the same as a space)
    (a OR b) c          grouping

Operators are upper case; anything else is taken as words, so user input never
makes an FTS5 syntax error.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import snowballstemmer
import sqlite_utils

__all__ = [
    "FTS_TABLE",
    "RANK_WEIGHTS",
    "build_match_query",
    "ensure_search_index",
    "fill_missing_stems",
    "fold",
    "rank_expression",
    "restem_all",
    "search_releases",
    "stem_document",
    "stem_word",
    "tokenize",
]

FTS_TABLE = "releases_fts"
#: Columns of the FTS table, in order (the first three are text as written).
FTS_COLUMNS = ("title", "lead", "body", "stems")
EXACT_COLUMNS = ("title", "lead", "body")
TOKENIZER = "unicode61 remove_diacritics 0"
#: bm25 weights of title, lead, body, stems: exact words count more than stems.
RANK_WEIGHTS = (10.0, 4.0, 1.0, 0.5)

# FTS5's unicode61 tokenizer: runs of letters, digits (and private use);
# everything else, the underscore included, separates tokens.
_TOKEN_RE = re.compile(r"[^\W_]+")
_VOWELS = frozenset("aeiouyäåö")
# Definite endings the Swedish Snowball stemmer leaves alone ("skolan",
# "löftet"); stripped after it so they meet their indefinite forms.
_EXTRA_SUFFIXES = ("an", "et")
_STEMMER = snowballstemmer.stemmer("swedish")
# A phrase with no tokens: valid FTS5 that matches nothing.
MATCH_NOTHING = '""'


# --------------------------------------------------------------------------
# Words


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


# --------------------------------------------------------------------------
# The index


def _fts_sql() -> str:
    columns = ", ".join(f"[{c}]" for c in FTS_COLUMNS)
    return (
        f"CREATE VIRTUAL TABLE [{FTS_TABLE}] USING FTS5 ({columns}, "
        f"tokenize='{TOKENIZER}', content=[releases], content_rowid=[id])"
    )


def _trigger_sql() -> list[str]:
    cols = ", ".join(f"[{c}]" for c in FTS_COLUMNS)
    new = ", ".join(f"new.[{c}]" for c in FTS_COLUMNS)
    old = ", ".join(f"old.[{c}]" for c in FTS_COLUMNS)
    watched = ", ".join(f"[{c}]" for c in FTS_COLUMNS)
    insert = f"INSERT INTO [{FTS_TABLE}] (rowid, {cols}) VALUES (new.[id], {new});"
    delete = (
        f"INSERT INTO [{FTS_TABLE}] ([{FTS_TABLE}], rowid, {cols}) "
        f"VALUES ('delete', old.[id], {old});"
    )
    # Only a change of the indexed text re-indexes a row: the crawler touches
    # last_seen and friends on every run.
    return [
        f"CREATE TRIGGER [releases_ai] AFTER INSERT ON [releases] BEGIN {insert} END",
        f"CREATE TRIGGER [releases_ad] AFTER DELETE ON [releases] BEGIN {delete} END",
        f"CREATE TRIGGER [releases_au] AFTER UPDATE OF {watched} ON [releases] "
        f"BEGIN {delete} {insert} END",
    ]


def _normalise_sql(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip().lower()


def _index_is_current(db: sqlite_utils.Database) -> bool:
    rows = db.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name IN (?, ?, ?, ?)",
        [FTS_TABLE, "releases_ai", "releases_ad", "releases_au"],
    ).fetchall()
    have = {name: _normalise_sql(sql or "") for _, name, sql in rows}
    want = {FTS_TABLE: _normalise_sql(_fts_sql())}
    for name, sql in zip(
        ("releases_ai", "releases_ad", "releases_au"), _trigger_sql(), strict=True
    ):
        want[name] = _normalise_sql(sql)
    return have == want


def ensure_search_index(db: sqlite_utils.Database) -> None:
    """Create ``releases_fts`` and its triggers over ``releases``; idempotent.

    Adds ``releases.stems`` when missing, fills it where it is NULL, and
    (re)builds the index when it is missing or was built with other columns
    or triggers. Does nothing when everything is already in place.
    """
    releases = db.table("releases")
    if not releases.exists():
        raise ValueError("ensure_search_index needs the releases table")
    if "stems" not in releases.columns_dict:
        releases.add_column("stems", str)
    if _index_is_current(db):
        fill_missing_stems(db)
        return
    with db.conn:
        for trigger in ("releases_ai", "releases_ad", "releases_au"):
            db.execute(f"DROP TRIGGER IF EXISTS [{trigger}]")
        db.execute(f"DROP TABLE IF EXISTS [{FTS_TABLE}]")
    # Stems first, while no trigger can feed half-built rows to the index.
    fill_missing_stems(db)
    with db.conn:
        db.execute(_fts_sql())
        for sql in _trigger_sql():
            db.execute(sql)
        db.execute(f"INSERT INTO [{FTS_TABLE}] ([{FTS_TABLE}]) VALUES ('rebuild')")


def fill_missing_stems(db: sqlite_utils.Database, *, batch: int = 5000) -> int:
    """Compute ``releases.stems`` for every release that has none; returns how many."""
    done = 0
    while True:
        rows = db.execute(
            "SELECT id, title, lead, body FROM releases WHERE stems IS NULL LIMIT ?", [batch]
        ).fetchall()
        if not rows:
            return done
        with db.conn:
            db.conn.executemany(
                "UPDATE releases SET stems = ? WHERE id = ?",
                [(stem_document(t or "", lead, b or ""), i) for i, t, lead, b in rows],
            )
        done += len(rows)


def restem_all(db: sqlite_utils.Database) -> None:
    """Recompute every release's stems and rebuild the index (after the stemming rules change)."""
    with db.conn:
        for trigger in ("releases_ai", "releases_ad", "releases_au"):
            db.execute(f"DROP TRIGGER IF EXISTS [{trigger}]")
        db.execute(f"DROP TABLE IF EXISTS [{FTS_TABLE}]")
        db.execute("UPDATE releases SET stems = NULL")
    ensure_search_index(db)


def rank_expression(table: str = FTS_TABLE) -> str:
    """SQL ORDER BY terms for relevance, best first.

    Releases where some word matched as written (exact columns) come before
    those matched only through the shadow column, then bm25: a short release
    saying "far" twice never outranks a long one saying "får" once.
    """
    exact = ", ".join(str(w) for w in RANK_WEIGHTS[:3])
    weights = ", ".join(str(w) for w in RANK_WEIGHTS)
    return f"bm25([{table}], {exact}, 0.0) = 0, bm25([{table}], {weights})"


def search_releases(db: sqlite_utils.Database, q: str, *, limit: int = 20) -> list[dict[str, Any]]:
    """Return the releases matching the user query ``q``, most relevant first.

    Each result holds id, title, source, published and url.
    """
    cursor = db.execute(
        f"SELECT r.id, r.title, r.source, r.published, r.url FROM [{FTS_TABLE}] "
        f"JOIN releases r ON r.id = [{FTS_TABLE}].rowid "
        f"WHERE [{FTS_TABLE}] MATCH ? ORDER BY {rank_expression()}, r.published DESC LIMIT ?",
        [build_match_query(q), limit],
    )
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


# --------------------------------------------------------------------------
# The query language


@dataclass(frozen=True)
class _Term:
    tokens: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class _Op:
    op: str  # "AND", "OR", "NOT"
    left: _Node
    right: _Node


_Node = _Term | _Op

_LEX_RE = re.compile(r'"(?P<phrase>[^"]*)"?(?P<pstar>\*)?|(?P<paren>[()])|(?P<word>[^\s()"]+)')
_OPERATORS = frozenset({"AND", "OR", "NOT"})


def _lex(q: str) -> list[tuple[str, object]]:
    """Split a query into ("term", _Term), ("op", "OR"|...), ("(", None), (")", None)."""
    items: list[tuple[str, object]] = []
    # "-a b": FTS5 has no unary NOT, so a negation before any word moves to the end.
    deferred: list[tuple[str, object]] = []
    for m in _LEX_RE.finditer(q):
        if m.group("paren"):
            items.append((m.group("paren"), None))
        elif m.group("word") is not None:
            word = m.group("word")
            if word in _OPERATORS:
                items.append(("op", word))
                continue
            negate = word.startswith("-") and len(word) > 1
            if negate:
                word = word.lstrip("-")
            tokens = tuple(tokenize(word))
            if not tokens:
                continue
            term = ("term", _Term(tokens, prefix=word.endswith("*")))
            if negate and not items:
                deferred += [("op", "NOT"), term]
            elif negate:
                items += [("op", "NOT"), term]
            else:
                items.append(term)
        else:
            tokens = tuple(tokenize(m.group("phrase")))
            if tokens:
                items.append(("term", _Term(tokens, prefix=bool(m.group("pstar")))))
    return items + deferred


class _Parser:
    """Recursive descent with FTS5 precedence (NOT > AND > OR), forgiving of junk."""

    def __init__(self, items: list[tuple[str, object]]) -> None:
        self.items = items
        self.pos = 0

    def _peek(self) -> tuple[str, object] | None:
        return self.items[self.pos] if self.pos < len(self.items) else None

    def parse(self) -> _Node | None:
        node = None
        while self.pos < len(self.items):
            start = self.pos
            part = self._or()
            if part is not None:
                node = part if node is None else _Op("AND", node, part)
            if self.pos == start:
                self.pos += 1  # a stray ")" or operator
        return node

    def _or(self) -> _Node | None:
        node = self._and()
        while self._peek() == ("op", "OR"):
            self.pos += 1
            right = self._and()
            if right is not None:
                node = right if node is None else _Op("OR", node, right)
        return node

    def _and(self) -> _Node | None:
        node = self._not()
        while (item := self._peek()) is not None:
            if item == ("op", "AND"):
                self.pos += 1
                continue
            if item[0] not in ("term", "(") and item != ("op", "NOT"):
                break
            right = self._not()
            if right is not None:
                node = right if node is None else _Op("AND", node, right)
        return node

    def _not(self) -> _Node | None:
        node = self._primary()
        while self._peek() == ("op", "NOT"):
            self.pos += 1
            right = self._primary()
            # FTS5 has no unary NOT: "NOT x" with nothing before it is dropped.
            if right is not None and node is not None:
                node = _Op("NOT", node, right)
        return node

    def _primary(self) -> _Node | None:
        item = self._peek()
        if item is None:
            return None
        kind, value = item
        if kind == "term":
            self.pos += 1
            assert isinstance(value, _Term)
            return value
        if kind == "(":
            self.pos += 1
            node = self._or()
            if self._peek() == (")", None):
                self.pos += 1
            return node
        return None


def _quote(tokens: tuple[str, ...] | list[str]) -> str:
    return '"' + " ".join(t.replace('"', '""') for t in tokens) + '"'


def _render_term(term: _Term) -> str:
    exact = "{" + " ".join(EXACT_COLUMNS) + "} : " + _quote(term.tokens)
    if not term.prefix:
        shadow = [stem_word(t) for t in term.tokens]
        return f"({exact} OR stems : {_quote(shadow)})"
    # A prefix is matched on one side only: each side alone costs as much as
    # an ordinary word matching hundreds of thousands of releases.
    if any(not ch.isascii() for ch in term.tokens[-1]):
        # Typed with å/ä/ö: those letters count, "försk*" is not "forskning".
        return f"{exact} *"
    # Typed in ASCII: stems, so "skola*" finds skolor and "forsk*" finds förskola.
    shadow = [stem_word(t) for t in term.tokens]
    return f"stems : {_quote(shadow)} *"


def _render(node: _Node) -> str:
    if isinstance(node, _Term):
        return _render_term(node)
    return f"({_render(node.left)} {node.op} {_render(node.right)})"


def build_match_query(q: str | None) -> str:
    """Translate a user's query into an FTS5 MATCH expression for ``releases_fts``.

    Never raises and never returns an expression FTS5 rejects; a query with no
    words in it returns an expression that matches nothing.
    """
    if not q:
        return MATCH_NOTHING
    node = _Parser(_lex(q)).parse()
    if node is None:
        return MATCH_NOTHING
    return _render(node)
