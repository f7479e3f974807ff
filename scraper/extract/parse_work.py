"""How much work a page asks of the HTML parser, estimated before parsing it.

A page whose estimate passes ``MAX_PARSE_WORK`` is not parsed at all (see
``scraper.extract.template`` and ``scraper.extract.release``): a few hundred
kilobytes of nested block elements can keep lexbor busy for minutes.
"""

from __future__ import annotations

import math
import re

__all__ = ["MAX_PARSE_WORK", "parse_work"]

#: Most work (``parse_work``) a page may ask of the HTML parser: the estimate of
#: a tree 20,000 block elements deep, about one second of parsing.
MAX_PARSE_WORK = 250_000_000

# Block elements that stay open until closed, and those that close themselves
# (a second <p>, <li> ...): both make the parser look through the open ones.
_NESTING_TAGS = (
    "address|article|aside|blockquote|center|details|dialog|dir|div|dl|fieldset|figure|"
    "footer|form|header|hgroup|main|menu|nav|ol|section|table|ul"
)
_SELF_CLOSING_TAGS = "p|li|dd|dt|h[1-6]|pre|figcaption|summary|tr|td|th"
_SCANNED_TAGS = math.isqrt(2 * MAX_PARSE_WORK)
_START_END_RE = re.compile(
    rf"<(/?)(?:({_NESTING_TAGS})|{_SELF_CLOSING_TAGS})(?=[\s/>])", re.IGNORECASE
)


def parse_work(html: str) -> int:
    """Estimate the HTML parser's work on ``html`` (block start tags times open blocks).

    The estimate is the sum, over the block start tags, of the block elements
    open at that point (by a scan of the tags, not a parse). An HTML parser
    looks through the open elements at every block start tag (is a <p> open
    that it must close?), so parsing is quadratic in the nesting: 20,000
    nested <div> take lexbor about a second, 200,000 minutes. Cheap: a page
    with too few tags to come near ``MAX_PARSE_WORK`` is not scanned at all.
    """
    # n start tags make at most n * n / 2 work, and each takes three characters or more.
    if len(html) < 3 * _SCANNED_TAGS or html.count("<") <= _SCANNED_TAGS:
        return 0
    work = depth = 0
    for match in _START_END_RE.finditer(html):
        if match.group(1):
            if match.group(2) and depth:
                depth -= 1
        else:
            work += depth
            if match.group(2):
                depth += 1
    return work
