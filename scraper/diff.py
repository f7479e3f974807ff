"""Readable word-level differences between two versions of a release (pure)."""

from __future__ import annotations

import difflib
import re

__all__ = ["Segment", "diff_excerpt", "diff_segments", "word_diff"]

_TOKEN = re.compile(r"\n\n|\S+")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def word_diff(old: str, new: str) -> str:
    """Return ``new`` with the changes from ``old`` marked inline.

    Removed words appear as ``[-ord-]``, added ones as ``{+ord+}``; paragraph
    breaks are kept, so the result reads like the release itself. Empty when
    the two texts hold the same words.
    """
    a, b = _tokens(old), _tokens(new)
    if a == b:
        return ""
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(b[j1:j2])
            continue
        removed = " ".join(t for t in a[i1:i2] if t != "\n\n")
        added = " ".join(t for t in b[j1:j2] if t != "\n\n")
        if removed:
            out.append(f"[-{removed}-]")
        if added:
            out.append(f"{{+{added}+}}")
        out.extend(t for t in b[j1:j2] if t == "\n\n")
    text = " ".join(out)
    return re.sub(r" ?\n\n ?", "\n\n", text).strip()


_MARK = re.compile(r"\[-(.*?)-\]|\{\+(.*?)\+\}", re.S)

#: A piece of a word diff: ("same" | "del" | "ins", text).
Segment = tuple[str, str]


def diff_segments(diff: str) -> list[Segment]:
    """Split a word diff (``[-old-] {+new+}``) into ("same"|"del"|"ins", text) pieces."""
    segments: list[Segment] = []
    pos = 0
    for m in _MARK.finditer(diff):
        if m.start() > pos:
            segments.append(("same", diff[pos : m.start()]))
        if m.group(1) is not None:
            segments.append(("del", m.group(1)))
        else:
            segments.append(("ins", m.group(2)))
        pos = m.end()
    if pos < len(diff):
        segments.append(("same", diff[pos:]))
    return segments


def _trim(text: str, *, head: int, tail: int) -> str:
    """``text`` keeping its first ``head`` and last ``tail`` words, "…" between."""
    words = text.split()
    if len(words) <= head + tail + 1:
        return text
    kept = words[:head] + ["…"] + (words[len(words) - tail :] if tail else [])
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    return lead + " ".join(kept) + trail


def diff_excerpt(diff: str, *, context: int = 12) -> list[list[Segment]]:
    """Only what changed: the paragraphs holding a change, each as its segments,
    with unchanged runs cut to ``context`` words either side of a change.

    For alerts (a feed entry, a table cell), where the whole release with its
    changes marked would bury the change.
    """
    paragraphs = []
    for paragraph in (diff or "").split("\n\n"):
        segments = diff_segments(paragraph)
        if not any(kind != "same" for kind, _ in segments):
            continue
        trimmed: list[Segment] = []
        for i, (kind, text) in enumerate(segments):
            if kind == "same":
                head = context if i > 0 else 0
                tail = context if i < len(segments) - 1 else 0
                text = _trim(text, head=head, tail=tail)
            trimmed.append((kind, text))
        paragraphs.append(trimmed)
    return paragraphs
