"""HTML -> Release (pure: no network, no clock).

One parse, one walk (``scraper.extract.blocks.segment_page``), then:

* body: the blocks ``scraper.extract.boilerplate.select_content`` keeps, minus what
  the site's learned template repeats (``scraper.extract.template``), minus the
  title, the lead, date and label lines; for a short release (``THIN_CHARS``,
  ``Release.thin``) only the text in its own place after the headline
  (``scraper.extract.boilerplate.own_text``), never the form or notice beside it;
* title and kind (``scraper.extract.headline``), dates (``scraper.extract.release_dates``),
  images and attachments (``scraper.extract.media``) from the head metadata
  (``scraper.extract.page_head``) and the blocks around the title and the body; the
  lead and the language here.

``body_text`` is the same body with no site knowledge at all: the entry
point of the public extraction benchmark.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from scraper.errors import ExtractError
from scraper.records import ListingEntry, Release, SiteTemplate, Source
from scraper.sites import same_host

from . import selectors as sel
from .blocks import (
    FURNITURE,
    LEAD,
    MAX_PARSE_WORK,
    NEGATIVE,
    Segmented,
    join_blocks,
    parse_work,
    segment_page,
)
from .boilerplate import dense, own_text, select_content
from .headline import find_kind, find_title, release_tags
from .media import find_attachments, find_images, resolve_url
from .page_head import PageHead, read_head
from .release_dates import date_from_selector, find_dates
from .template import template_drops

__all__ = ["BUG_REASON", "EXTRACTOR_VERSION", "THIN_CHARS", "body_text", "extract_release"]

#: Bump whenever extraction output may change; stored with every release.
EXTRACTOR_VERSION = "1.3"

_WORD_RE = re.compile(r"[a-zåäöéü]+")
_LETTER_RE = re.compile(r"[^\W\d_]")
_SWEDISH = frozenset(
    {"och", "att", "det", "som", "en", "på", "är", "för", "med", "av", "till", "har", "inte",
     "om", "den", "de", "ett", "kommer", "vi", "kan", "ska", "under", "sig", "även", "nya",
     "också", "efter", "vid", "från"}
)  # fmt: skip
_ENGLISH = frozenset(
    {"the", "and", "of", "to", "is", "in", "that", "for", "with", "on", "are", "was", "be",
     "by", "this", "it", "as", "from", "will", "have", "has", "an"}
)  # fmt: skip


def _common_ancestor(seg: Segmented, a: int, b: int) -> int:
    ancestors = set()
    while a >= 0:
        ancestors.add(a)
        a = seg.parents[a]
    while b >= 0 and b not in ancestors:
        b = seg.parents[b]
    return max(b, 0)


def _find_lead(
    seg: Segmented,
    region: int,
    title_index: int,
    last_body: int,
    skip: frozenset[int] | set[int],
    kept: list[int],
) -> list[int]:
    """The ingress: the first run of lead-marked blocks after the title, in the release.

    The run ends at the first body block that is not marked (a later
    "ingress"-styled paragraph is a pull quote, not the lead).
    """
    end = seg.ends[region]
    body = set(kept)
    # Furniture around the title (an article <header> holding h1 and ingress) is no objection.
    beside_title: set[int] = set()
    element = seg.blocks[title_index].element if title_index >= 0 else -1
    while element > region:
        beside_title.add(element)
        element = seg.parents[element]
    found: list[int] = []
    for index in range(max(title_index + 1, 0), last_body + 1):
        block = seg.blocks[index]
        marked = (
            block.all_flags & LEAD
            and index not in skip
            and block.link_density <= 0.5
            and region <= block.element <= end
            and not any(
                flags & (FURNITURE | NEGATIVE)
                for element, flags in block.flagged
                if element > region and element not in beside_title
            )
        )
        if marked:
            found.append(index)
        elif found and index in body:
            break
    return found


def _guess_language(text: str) -> tuple[str | None, bool]:
    """Swedish or English by function words, and whether the text says so clearly."""
    words = _WORD_RE.findall(text[:3000].lower())
    swedish = sum(1 for w in words if w in _SWEDISH)
    english = sum(1 for w in words if w in _ENGLISH)
    if swedish == english == 0:
        return None, False
    guess, hits, other = (
        ("sv", swedish, english) if swedish >= english else ("en", english, swedish)
    )
    # Running text is a fifth to a third function words; a few hits in a name list are not.
    clear = hits >= _CLEAR_HITS and hits >= 0.1 * len(words) and hits >= 4 * (other + 1)
    return guess, clear


_CLEAR_HITS = 8


def _language(head: PageHead, text: str) -> str | None:
    """The release's language: <html lang>, unless the text is clearly in the other one
    of Swedish and English.

    A newsroom platform declares its own furniture's language ("en") around
    releases written in Swedish. Only Swedish and English are told apart
    (Norwegian or Danish text would look Swedish to the guess).
    """
    guess, clear = _guess_language(text)
    if head.lang:
        code = head.lang.strip().lower().replace("_", "-").split("-", 1)[0]
        if code.isalpha() and 2 <= len(code) <= 3:
            return guess if clear and code in _GUESSED and guess != code else code
    return guess


_GUESSED = frozenset({"sv", "en"})


def _apply_drop_selectors(tree: LexborHTMLParser, source: Source | None) -> None:
    if source is None:
        return
    for selector in source.drop_selectors:
        for node in tree.css(selector):
            node.decompose()


def extract_release(
    html: str,
    url: str,
    *,
    template: SiteTemplate | None = None,
    source: Source | None = None,
    hint: ListingEntry | None = None,
) -> Release:
    """Extract the release a page holds.

    Whatever the markup (processing instructions, broken nesting, NUL bytes,
    trees thousands of elements deep), the answer is a release or an
    ``ExtractError`` with the reason: any other exception met on the way is
    an extractor bug, raised as an ``ExtractError`` that names it (and chains it).

    :param template: what the page's site repeats (``scraper.extract.template.learn_template``);
        without one, only generic evidence removes boilerplate.
    :param source: the page's source: its ``default_kind`` and extraction overrides
        (``body_selector``, ``drop_selectors``, ``date_selector``) are applied.
    :param hint: what the listing said about the release (kind, published date), used
        when the page itself says nothing (its ``updated``, a sitemap lastmod, is not used:
        it says when a page was rendered as often as when it was changed).
    :raises ExtractError: when the page holds no release (no title: no <h1>, og:title or
        <title>; or no text and no headline and date of its own), nests too deep to
        parse, or an override selector matches nothing. A headline and a date on the
        page with no text at all make a thin release with an empty body.
    """
    _check_parse_work(html, url)
    try:
        return _extract_release(html, url, template=template, source=source, hint=hint)
    except ExtractError:
        raise
    except Exception as exc:
        raise _extractor_bug(exc, url) from exc


def _check_parse_work(html: str, url: str) -> None:
    if parse_work(html) > MAX_PARSE_WORK:
        # Parsing is quadratic in the nesting: such a page would stall the run for minutes.
        raise ExtractError("page nests block elements too deep to parse", url=url)


def _extractor_bug(exc: Exception, url: str) -> ExtractError:
    """An unexpected exception of the extractor on one page, as that page's ExtractError."""
    return ExtractError(f"{BUG_REASON}: {type(exc).__name__}: {str(exc)[:200]}", url=url)


#: Start of the reason of an ExtractError that stands for an extractor bug.
BUG_REASON = "extractor error"


def _extract_release(
    html: str,
    url: str,
    *,
    template: SiteTemplate | None,
    source: Source | None,
    hint: ListingEntry | None,
) -> Release:
    tree = LexborHTMLParser(html)
    _apply_drop_selectors(tree, source)
    head = read_head(tree)
    base = (resolve_url(url, head.base) if head.base else None) or url
    repeated = template.repeated() if template is not None else frozenset()
    body_node = None
    if source is not None and source.body_selector:
        body_node = tree.css_first(source.body_selector)
        if body_node is None:
            raise ExtractError(
                "body_selector matches nothing", url=url, selector=source.body_selector
            )
    seg = segment_page(
        tree, with_paths=bool(repeated), skip_furniture=body_node is None, mark=body_node
    )
    drops = template_drops(seg, repeated)
    if body_node is not None and seg.marked < 0:
        raise ExtractError(
            "body_selector names no block element", url=url, selector=source.body_selector
        )
    selection = select_content(seg, drop=drops, top=seg.marked if body_node is not None else None)

    title, title_index = find_title(seg, head)
    region = selection.top
    if title_index >= 0:
        region = _common_ancestor(seg, seg.blocks[title_index].element, selection.top)
    categories = [" ".join(a.text().split()) for a in tree.css('a[rel~="tag"]')]
    categories += release_tags(seg, region)
    kind, kind_index = find_kind(title, seg, categories, title_index, hint, source)

    kept = list(selection.kept)
    first_body = kept[0] if kept else len(seg.blocks)
    last_body = kept[-1] if kept else len(seg.blocks) - 1
    count = len(seg.blocks)
    start = max(0, (title_index if title_index >= 0 else first_body) - 3)
    near_title = range(start, min(count, max(first_body, title_index + 1) + 3))
    around_body = range(start, min(count, max(last_body, title_index) + 4))
    published, published_source, updated, updated_source, date_blocks = find_dates(
        head, seg, near_title, around_body, url, hint
    )
    if source is not None and source.date_selector:
        published, published_source = date_from_selector(tree, url, source.date_selector)

    lead_blocks = _find_lead(seg, region, title_index, last_body, drops | date_blocks, kept)
    lead = " ".join(seg.blocks[i].text for i in lead_blocks) or None

    captions: set[int] = set()
    images = find_images(seg, region, base, captions)

    skip = set(lead_blocks) | date_blocks | captions | {title_index, kind_index}
    chosen = [
        i
        for i in selection.kept
        if i not in skip and seg.blocks[i].text != title and seg.blocks[i].text != lead
    ]
    if title_index >= 0:
        short = _short_release_text(seg, title_index, chosen, skip | drops, lead)
        if short is not None:
            chosen = short
    body = join_blocks(seg, chosen)
    if not _LETTER_RE.search(title):
        # No <h1>, no og:title, no <title>: whatever text there is, it is no release.
        raise ExtractError("page holds no title (no <h1>, og:title or <title>)", url=url)
    text = f"{lead or ''} {body}"
    if not _LETTER_RE.search(text) and (title_index < 0 or published_source in _NOT_ON_PAGE):
        # A headline and a date of the page's own make a release even with no text
        # (thin); without them an empty page is more likely broken than a release.
        raise ExtractError("page holds no release text (empty body)", url=url)

    canonical = url
    candidate = head.canonical or head.meta.get("og:url")
    if candidate:
        resolved = resolve_url(base, candidate)
        if resolved is not None and same_host(resolved, url):
            canonical = resolved
    return Release(
        url=url,
        canonical_url=canonical,
        title=title,
        kind=kind,
        published=published,
        published_source=published_source,
        updated=updated,
        updated_source=updated_source,
        lead=lead,
        body=body,
        language=_language(head, f"{lead or ''}\n\n{body}"),
        images=images,
        attachments=find_attachments(seg, region, base),
        thin=len(" ".join(text.split())) < THIN_CHARS,
    )


#: Release text (lead and body) shorter than this makes a thin release.
THIN_CHARS = 300
#: Sources of a published date that are not the page itself.
_NOT_ON_PAGE = frozenset({None, "url", "listing"})
#: Running text beyond a short release's own place that makes a body of its own.
_BODY_ELSEWHERE_CHARS = 300
_NOTICE_RE = re.compile(
    r"\b(?:" + "|".join(re.escape(word) for word in sel.NOTICE_WORDS) + ")", re.IGNORECASE
)


def _short_release_text(
    seg: Segmented,
    title_index: int,
    chosen: list[int],
    skip: set[int] | frozenset[int],
    lead: str | None,
) -> list[int] | None:
    """The body blocks of a short release: its own place only (``boilerplate.own_text``).

    When the text after the headline, up to the first furniture, is shorter
    than ``THIN_CHARS``, the release is short and that text is its body,
    whatever else the main-container choice took (a contact form, a
    personal-data notice: more text than the release itself). Unless what
    the choice took beyond it holds a body of its own: running text that is
    no personal-data or cookie notice (``selectors.NOTICE_WORDS``), enough
    of it to be more than a line or two (a release whose headline stands
    apart from its text, past a "Lyssna" form). None when the release is no
    short one.
    """
    own = [i for i in own_text(seg, title_index, skip=skip) if seg.blocks[i].text != lead]
    chars = len(lead or "") + sum(len(seg.blocks[i].text) for i in own)
    if chars >= THIN_CHARS:
        return None
    mine = set(own)
    elsewhere = sum(
        len(block.text)
        for block in (seg.blocks[i] for i in chosen if i not in mine)
        if dense(block) and not _NOTICE_RE.search(block.text)
    )
    if elsewhere >= _BODY_ELSEWHERE_CHARS:
        return None
    return own


def body_text(html: str, url: str) -> str:
    """Return the clean body text of one page, with no site knowledge.

    The single-page mode of the extractor, as scored by
    ``../shared/extraction-benchmark/evaluate.py -e scraper.extract:body_text``.

    :raises ExtractError: as ``extract_release`` does, never any other exception.
    """
    _check_parse_work(html, url)
    try:
        seg = segment_page(LexborHTMLParser(html), with_refs=False)
        return join_blocks(seg, list(select_content(seg).kept))
    except Exception as exc:
        raise _extractor_bug(exc, url) from exc
