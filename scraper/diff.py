"""Readable word-level differences between two versions of a release (pure)."""

from __future__ import annotations

import difflib
import re

__all__ = ["word_diff"]

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
