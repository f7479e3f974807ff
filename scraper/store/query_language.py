"""The search box's query language, translated to FTS5 without recursion.

    skolor bygge        both words (any inflection)
    skol*               prefix (with å/ä/ö: as typed; without: stems, folded)
    "nya skolan"        phrase (also matched inflected: "nya skolor")
    skola OR förskola   either
    skola NOT förskola  the first without the second (also: skola -förskola)
    skola AND bygge     both (the same as a space)
    (a OR b) c          grouping

Operators are upper case; anything else is taken as words, so user input never
makes an FTS5 syntax error. A query is cut to its first ``MAX_QUERY_WORDS``
words (terms) and ``MAX_QUERY_DEPTH`` levels of brackets before it is parsed,
and the parser is an operator-precedence loop (no recursion), so a pasted page
of text is a search of its first words, never a parser stack overflow
(issue 13). ``query_truncated(q)`` tells the page to say so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .words import pair_tag, stem_word, title_tag, tokenize

__all__ = [
    "MATCH_NOTHING",
    "MAX_QUERY_DEPTH",
    "MAX_QUERY_WORDS",
    "build_match_query",
    "title_match",
    "walk_match",
    "written_match",
    "query_terms",
    "query_truncated",
]

#: Words (terms and phrases) a query keeps; the rest are dropped, and the page says so.
MAX_QUERY_WORDS = 32
#: Levels of brackets a query keeps; deeper brackets are read as plain grouping.
MAX_QUERY_DEPTH = 8
EXACT_COLUMNS = ("title", "lead", "body")
# A phrase with no tokens: valid FTS5 that matches nothing.
MATCH_NOTHING = '""'
_PRECEDENCE = {"OR": 1, "AND": 2, "NOT": 3}


@dataclass(frozen=True)
class Term:
    """One word or phrase of a query (its lower-case tokens) and whether it is a prefix."""

    tokens: tuple[str, ...]
    prefix: bool = False


_LEX_RE = re.compile(r'"(?P<phrase>[^"]*)"?(?P<pstar>\*)?|(?P<paren>[()])|(?P<word>[^\s()"]+)')
_OPERATORS = frozenset({"AND", "OR", "NOT"})

Item = tuple[str, object]  # ("term", Term) | ("op", "OR"|"AND"|"NOT") | ("(", None) | (")", None)


def _lex(q: str) -> tuple[list[Item], bool]:
    """Split a query into items; returns them and whether words were dropped."""
    items: list[Item] = []
    # "-a b": FTS5 has no unary NOT, so a negation before any word moves to the end.
    deferred: list[Item] = []
    words = 0
    truncated = False
    for m in _LEX_RE.finditer(q):
        if m.group("paren"):
            items.append((m.group("paren"), None))
            continue
        if m.group("word") is not None:
            word = m.group("word")
            if word in _OPERATORS:
                items.append(("op", word))
                continue
            negate = word.startswith("-") and len(word) > 1
            if negate:
                word = word.lstrip("-")
            tokens = tuple(tokenize(word))
            prefix = word.endswith("*")
        else:
            negate = False
            tokens = tuple(tokenize(m.group("phrase")))
            prefix = bool(m.group("pstar"))
        if not tokens:
            continue
        if words == MAX_QUERY_WORDS:
            truncated = True
            break
        words += 1
        term: Item = ("term", Term(tokens[:MAX_QUERY_WORDS], prefix=prefix))
        if negate and not items:
            deferred += [("op", "NOT"), term]
        elif negate:
            items += [("op", "NOT"), term]
        else:
            items.append(term)
    return items + deferred, truncated


def _quote(tokens: tuple[str, ...] | list[str]) -> str:
    return '"' + " ".join(t.replace('"', '""') for t in tokens) + '"'


#: Looks up the index's words of a group ("text", "stems", "tags") that start with a
#: prefix: a list (an OR of them finds the prefix's releases), or None (not known).
Expand = Callable[[str, str], list[str] | None]


def _prefix(group: str, prefix: str, expand: Expand | None) -> str:
    """``"prefix" *``, or the same releases as an OR of the words of ``group`` that start with
    it (``expand``: FTS5 merges a prefix longer than its prefix index in memory, every time)."""
    words = expand(group, prefix) if expand is not None else None
    if words:
        return "(" + " OR ".join(_quote([w]) for w in words) + ")"
    return f"{_quote([prefix])} *"


def _expanded(column: str, group: str, prefix: str, expand: Expand | None) -> str:
    """``column : "prefix" *``, or its words ORed (``_prefix``)."""
    return f"{column} : {_prefix(group, prefix, expand)}"


def _render_term(term: Term, expand: Expand | None = None) -> tuple[str, str, str]:
    """The term as FTS5: (as written or stemmed, as written only, the same matches by stems).

    The third form finds the first's releases from the ``stems`` column alone:
    a release with the words as written has their stems too, in the same
    order (``words.stem_document``), so the "as written" branch adds no
    release and only costs a second walk (a phrase: a second position check
    in every release holding its words). A phrase's pairs of common words are
    tags of their own (``words.pair_tag``): two words, the pair's postings
    (the same releases); more, the pairs' postings lead and the phrase checks
    positions only where they meet.
    """
    exact = "{" + " ".join(EXACT_COLUMNS) + "} : " + _quote(term.tokens)
    if not term.prefix:
        stems = [stem_word(t) for t in term.tokens]
        shadow = "stems : " + _quote(stems)
        pairs = [p for a, b in zip(stems, stems[1:], strict=False) if (p := pair_tag(a, b))]
        walk = shadow
        if pairs and len(stems) == 2:
            walk = "tags : " + _quote(pairs)
        elif pairs:
            walk = "(" + " AND ".join(["tags : " + _quote([p]) for p in pairs] + [shadow]) + ")"
        return f"({exact} OR {shadow})", exact, walk
    # A prefix is matched on one side only: each side alone costs as much as
    # an ordinary word matching hundreds of thousands of releases.
    one = len(term.tokens) == 1
    if any(not ch.isascii() for ch in term.tokens[-1]):
        # Typed with å/ä/ö: those letters count, "försk*" is not "forskning".
        text = "{" + " ".join(EXACT_COLUMNS) + "}"
        walk = _expanded(text, "text", term.tokens[0], expand) if one else f"{exact} *"
        return f"{exact} *", f"{exact} *", walk
    # Typed in ASCII: stems, so "skola*" finds skolor and "forsk*" finds förskola.
    shadow = [stem_word(t) for t in term.tokens]
    walk = _expanded("stems", "stems", shadow[0], expand) if one else f"stems : {_quote(shadow)} *"
    return f"stems : {_quote(shadow)} *", f"{exact} *", walk


# An operand on the output stack: rendered text and the operator joining its
# parts (None for a term or a bracketed group), so chains of one operator stay flat.
_Operand = tuple[str, str | None]


def _reduce(output: list[_Operand], op: str) -> None:
    right = output.pop()
    left = output.pop()
    left_text = left[0] if left[1] in (None, op) else f"({left[0]})"
    right_text = right[0] if right[1] is None else f"({right[0]})"
    output.append((f"{left_text} {op} {right_text}", op))


def _parse(items: list[Item], form: int = 0, expand: Expand | None = None) -> str | None:
    """Operator precedence (NOT > AND > OR), forgiving of junk; the FTS5 text or None.

    ``form``: which rendering of each term (``_render_term``) to use.
    """
    output: list[_Operand] = []
    ops: list[str] = []  # operators and "(" markers
    expect_operand = True
    skip_next = False  # a leading NOT drops the term it would negate
    depth = ignored = 0

    def push_op(op: str) -> None:
        while ops and ops[-1] != "(" and _PRECEDENCE[ops[-1]] >= _PRECEDENCE[op]:
            _reduce(output, ops.pop())
        ops.append(op)

    def close_group() -> None:
        text, op = output.pop()
        output.append((f"({text})" if op else text, None))  # a bracketed group is one operand

    for kind, value in items:
        if kind == "term":
            if skip_next:
                skip_next = False
                continue
            if not expect_operand:
                push_op("AND")  # two operands side by side: both
            assert isinstance(value, Term)
            output.append((_render_term(value, expand)[form], None))
            expect_operand = False
        elif kind == "(":
            if depth == MAX_QUERY_DEPTH:
                ignored += 1  # deeper brackets read as none
                continue
            if not expect_operand:
                push_op("AND")
            ops.append("(")
            depth += 1
            expect_operand = True
        elif kind == ")":
            if ignored:
                ignored -= 1
                continue
            if depth == 0:
                continue  # a stray ")"
            depth -= 1
            if expect_operand:
                if ops[-1] == "(":  # "()": an empty group is nothing
                    ops.pop()
                    continue
                ops.pop()  # "(a OR )": the dangling operator goes
            while ops[-1] != "(":
                _reduce(output, ops.pop())
            ops.pop()
            close_group()
            expect_operand = False
        else:  # an operator
            assert isinstance(value, str)
            if expect_operand:
                if value == "NOT" and ops and ops[-1] == "AND":
                    ops[-1] = "NOT"  # "a AND NOT b" is "a NOT b"
                elif value == "NOT":
                    skip_next = True  # FTS5 has no unary NOT: "NOT x" alone keeps nothing of x
                continue  # an operator with nothing before it, or after another
            push_op(value)
            expect_operand = True
    while ops:
        op = ops.pop()
        if op == "(":
            if not expect_operand:
                close_group()
            continue
        if expect_operand:
            expect_operand = False  # a dangling operator goes; the operand before it stands
            continue
        _reduce(output, op)
    while len(output) > 1:  # defensive: what is left is joined as AND
        _reduce(output, "AND")
    return output[0][0] if output else None


def build_match_query(q: str | None) -> str:
    """Translate a user's query into an FTS5 MATCH expression for ``releases_fts``.

    Never raises and never returns an expression FTS5 rejects; a query with no
    words in it returns an expression that matches nothing.
    """
    if not q or not isinstance(q, str):
        return MATCH_NOTHING
    items, _ = _lex(q)
    return _parse(items) or MATCH_NOTHING


def walk_match(q: str | None, expand: Expand | None = None) -> str:
    """The releases of ``build_match_query(q)``, matched by stems alone: cheaper to walk.

    The same releases (see ``_render_term``), but bm25 over it knows nothing of
    words as written: for finding and counting matches, not for ranking them.
    ``expand``: a prefix of one word longer than the prefix index becomes the
    words that start with it, where ``expand`` knows them (``index_terms``).
    """
    if not q or not isinstance(q, str):
        return MATCH_NOTHING
    items, _ = _lex(q)
    return _parse(items, form=2, expand=expand) or MATCH_NOTHING


def written_match(q: str | None) -> str | None:
    """For a query of one word or phrase: the MATCH of it as written (no stems), else None.

    The first tier of the ranking, looked up on its own for a common word
    (``scraper.store.finder``).
    """
    if not q or not isinstance(q, str):
        return None
    items, _ = _lex(q)
    if len(items) != 1 or items[0][0] != "term":
        return None
    term = items[0][1]
    assert isinstance(term, Term)
    return _render_term(term)[1]


def title_match(q: str | None, expand: Expand | None = None) -> str | None:
    """Releases with the query's words (not negated) in the title, any inflection; or None.

    A word or phrase matches when each of its words is a title tag
    (``words.title_tag``); the query's words are ORed. The first tier of the
    ranking of a query too common for bm25 (``scraper.store.finder``), ANDed
    with the whole query's MATCH.
    """
    parts = []
    for term in query_terms(q):
        tags = [title_tag(t) for t in term.tokens]
        if not all(tags):
            continue
        quoted = [_quote([t]) for t in tags if t]
        if term.prefix:
            quoted[-1] = _prefix("tags", tags[-1] or "", expand)  # the title tags starting so
        parts.append("(" + " AND ".join(quoted) + ")" if len(quoted) > 1 else quoted[0])
    return "tags : (" + " OR ".join(parts) + ")" if parts else None


def query_truncated(q: str | None) -> bool:
    """True when ``q`` has more than ``MAX_QUERY_WORDS`` words (the rest are ignored)."""
    return bool(q) and isinstance(q, str) and _lex(q)[1]


def query_terms(q: str | None) -> list[Term]:
    """The words and phrases of a query that are not negated (for "did you mean")."""
    if not q or not isinstance(q, str):
        return []
    items, _ = _lex(q)
    terms: list[Term] = []
    after_not = False
    for kind, value in items:
        if kind == "term" and not after_not:
            assert isinstance(value, Term)
            terms.append(value)
        after_not = kind == "op" and value == "NOT"
    return terms
