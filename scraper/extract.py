"""HTML -> Release (pure: no network, no clock).

One parse, one walk (``scraper.boilerplate.segment_page``), then:

* body: the blocks ``select_content`` keeps, minus what the site's learned
  template repeats, minus the title, the lead, date and label lines;
* title, kind, dates, lead, images, attachments and language from the head
  metadata and from the blocks around the title and the body.

``body_text`` is the same body with no site knowledge at all: the entry
point of the public extraction benchmark.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from scraper import selectors as sel
from scraper.boilerplate import (
    CAPTION,
    FIGURE,
    FURNITURE,
    LEAD,
    NEGATIVE,
    POSITIVE,
    Segmented,
    segment_page,
    select_content,
    template_drops,
)
from scraper.dates import date_from_url, normalize_datetime, parse_date, parse_labelled_dates
from scraper.errors import ExtractError
from scraper.records import Attachment, Image, ListingEntry, Release, SiteTemplate, Source

__all__ = ["EXTRACTOR_VERSION", "body_text", "extract_release"]

#: Bump whenever extraction output may change; stored with every release.
EXTRACTOR_VERSION = "1.0"

_KIND_PREFIX_RE = re.compile(
    r"^\s*(" + "|".join(re.escape(k) for k in sel.KIND_LABELS) + r")\s*[:\-–—|]\s*\S",
    re.IGNORECASE,
)
_SITE_NAME_RE = re.compile(r"kommun|\bstad\b|\bregion\b|municipality|council", re.IGNORECASE)
_ARTICLE_TYPE_RE = re.compile(r"Article|BlogPosting|Report|PressRelease|NewsItem")
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " » ")
_CREDIT_RE = re.compile(r"\b(?:foto|bild|illustration|photo|källa|grafik)\s*:", re.IGNORECASE)
_REVIEWED_RE = re.compile(r"granskad|reviewed|senast|last", re.IGNORECASE)
_WORD_RE = re.compile(r"[a-zåäöéü]+")
_LETTER_RE = re.compile(r"[^\W\d_]")
_TOKEN_RE = re.compile(r"[^a-z0-9]+")
_SWEDISH = frozenset(
    {"och", "att", "det", "som", "en", "på", "är", "för", "med", "av", "till", "har", "inte",
     "om", "den", "de", "ett", "kommer", "vi", "kan", "ska", "under", "sig", "även", "nya",
     "också", "efter", "vid", "från"}
)  # fmt: skip
_ENGLISH = frozenset(
    {"the", "and", "of", "to", "is", "in", "that", "for", "with", "on", "are", "was", "be",
     "by", "this", "it", "as", "from", "will", "have", "has", "an"}
)  # fmt: skip


@dataclass
class _Head:
    """What the <head> (and the <html> element) say about a page."""

    meta: dict[str, str] = field(default_factory=dict)
    title: str = ""
    canonical: str | None = None
    base: str | None = None
    lang: str | None = None
    json_ld: list[dict] = field(default_factory=list)


def _read_head(tree: LexborHTMLParser) -> _Head:
    head = _Head()
    html = tree.css_first("html")
    if html is not None:
        head.lang = (html.attributes.get("lang") or html.attributes.get("xml:lang") or "") or None
    for node in tree.css("meta"):
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        content = attrs.get("content")
        if key and content and key.lower() not in head.meta:
            head.meta[key.lower()] = content.strip()
    title = tree.css_first("title")
    if title is not None:
        head.title = " ".join(title.text().split())
    for node in tree.css("link[rel]"):
        rel = (node.attributes.get("rel") or "").lower().split()
        if "canonical" in rel and node.attributes.get("href"):
            head.canonical = (node.attributes.get("href") or "").strip()
            break
    base = tree.css_first("base[href]")
    if base is not None:
        head.base = (base.attributes.get("href") or "").strip() or None
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(node.text())
        except ValueError:
            continue
        head.json_ld.extend(_json_ld_objects(data))
    return head


def _json_ld_objects(data: object) -> list[dict]:
    """Flatten JSON-LD (lists, @graph) into its objects."""
    found: list[dict] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            found.append(item)
            if "@graph" in item:
                stack.append(item["@graph"])
    return found


def _same_site(a: str, b: str) -> bool:
    host_a, host_b = urlsplit(a).hostname or "", urlsplit(b).hostname or ""
    return host_a.removeprefix("www.") == host_b.removeprefix("www.")


# --------------------------------------------------------------------------
# Title and kind


def _strip_site_name(title: str, site_name: str | None) -> str:
    """Remove the site-name suffix (or prefix) of a <title>."""
    if site_name:
        for sep in _TITLE_SEPARATORS:
            if title.endswith(sep + site_name):
                return title[: -len(sep + site_name)].strip()
            if title.startswith(site_name + sep):
                return title[len(site_name + sep) :].strip()
    for sep in _TITLE_SEPARATORS:
        if sep in title:
            head, _, tail = title.rpartition(sep)
            if _SITE_NAME_RE.search(tail) and not _SITE_NAME_RE.search(head):
                return head.strip()
            head, _, tail = title.partition(sep)
            if _SITE_NAME_RE.search(head) and not _SITE_NAME_RE.search(tail):
                return tail.strip()
            head, _, tail = title.rpartition(sep)
            return head.strip() if len(head) >= len(tail) else tail.strip()
    return title


def _find_title(seg: Segmented, head: _Head) -> tuple[str, int]:
    """The headline and the index of its block (-1 when it comes from metadata only)."""
    meta_title = next((head.meta[k] for k in sel.TITLE_META if head.meta.get(k)), "")
    meta_title = " ".join(meta_title.split())
    page_title = _strip_site_name(head.title, head.meta.get("og:site_name"))
    blocks = seg.blocks
    candidates = [
        index
        for index, block in enumerate(blocks)
        if block.tag == "h1" and block.link_density <= 0.5
    ]
    for index in candidates:
        text = blocks[index].text
        if text in (meta_title, page_title) or (head.title and text in head.title):
            return text, index
    for index in candidates:
        if not blocks[index].all_flags & NEGATIVE or blocks[index].all_flags & POSITIVE:
            return blocks[index].text, index
    if candidates:
        return blocks[candidates[0]].text, candidates[0]
    # No <h1> (old sites set the headline in <b> or <font>): the block that
    # repeats the title of the page.
    for option in (meta_title, page_title):
        for index, block in enumerate(blocks):
            if option and block.text == option and block.link_density <= 0.5:
                return option, index
    return meta_title or page_title, -1


def _kind_label(text: str) -> str | None:
    return sel.KIND_LABELS.get(text.strip(" :-–—|").lower())


def _find_kind(
    title: str,
    seg: Segmented,
    categories: list[str],
    title_index: int,
    hint: ListingEntry | None,
    source: Source | None,
) -> tuple[str | None, int]:
    """The kind of the release and the index of the label block (-1 when none)."""
    match = _KIND_PREFIX_RE.match(title)
    if match:
        return sel.KIND_LABELS[match.group(1).lower()], -1
    if title_index >= 0:
        lo, hi = max(0, title_index - 4), min(len(seg.blocks), title_index + 5)
        for index in range(lo, hi):
            block = seg.blocks[index]
            if index == title_index or block.link_density > 0.5 or len(block.text) > 60:
                continue
            label = _kind_label(block.text)
            if label is None:
                # "2020-02-28 09:15 Pressmeddelande", "Pressmeddelande • 28 feb 2020"
                words = [w for w in re.split(r"[\s|•·,]+", block.text) if w]
                labels = [_kind_label(w) for w in words if _kind_label(w)]
                if labels and parse_date(block.text):
                    label = labels[0]
            if label:
                return label, index
    labels = [label for label in map(_kind_label, categories) if label]
    if labels:
        # A post filed under "Nyheter" and "Pressmeddelande" is a press release.
        specific = [label for label in labels if label != "Nyhet"]
        return (specific or labels)[0], -1
    if hint is not None and hint.kind:
        return _kind_label(hint.kind) or hint.kind, -1
    if source is not None and source.default_kind:
        return source.default_kind, -1
    return None, -1


# --------------------------------------------------------------------------
# Dates


_Candidates = list[tuple[str, str]]


def _machine_dates(head: _Head) -> tuple[_Candidates, _Candidates]:
    """(source, ISO value) of published and updated from JSON-LD, article meta, Dublin Core."""
    published: _Candidates = []
    updated: _Candidates = []
    # The article object first (Yoast's @graph also dates the WebPage).
    objects = sorted(
        head.json_ld, key=lambda obj: not _ARTICLE_TYPE_RE.search(str(obj.get("@type")))
    )
    for obj in objects:
        pub = obj.get("datePublished") or obj.get("dateCreated")
        upd = obj.get("dateModified")
        if isinstance(pub, str) and (value := normalize_datetime(pub)):
            published.append(("json-ld", value))
        if isinstance(upd, str) and (value := normalize_datetime(upd)):
            updated.append(("json-ld", value))
        if published or updated:
            break
    for source in ("meta", "dublin-core"):
        for names, found in ((sel.PUBLISHED_META, published), (sel.UPDATED_META, updated)):
            raw = next((head.meta[k] for k in names[source] if head.meta.get(k)), None)
            if raw and (value := normalize_datetime(raw)):
                found.append((source, value))
    return published, updated


def _date_line(text: str) -> str | None:
    """The date of a line that is (nearly) nothing but a date, or None."""
    if len(text) > 48 or _REVIEWED_RE.search(text):
        return None
    value = parse_date(text)
    if value is None:
        return None
    rest = re.sub(r"[\d\s\-/.:,|]+", " ", text).split()
    # What is left beside the date: month and day names, "kl.", a label or two.
    return value if len(rest) <= 4 else None


def _moment(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _same_moment(a: str, b: str) -> bool:
    first, second = _moment(a), _moment(b)
    if first is None or second is None:
        return False
    if (first.tzinfo is None) != (second.tzinfo is None):
        return False
    return first == second


def _choose(candidates: _Candidates) -> tuple[str | None, str | None]:
    """The best candidate, written as the page shows it.

    The first candidate wins; a later, visible one (<time>, text) that names the
    same moment in the page's local offset, or adds the time of day to a bare
    date, only changes how the value is written (and names itself as source).
    """
    if not candidates:
        return None, None
    source, value = candidates[0]
    for other_source, other in candidates[1:]:
        if other_source not in ("time", "text") or other == value:
            continue
        utc_shown_local = value.endswith("+00:00") and _same_moment(other, value)
        time_of_day_added = len(value) == 10 and len(other) > 10 and other.startswith(value)
        if utc_shown_local or time_of_day_added:
            source, value = other_source, other
    return source, value


def _find_dates(
    head: _Head,
    seg: Segmented,
    near_title: range,
    around_body: range,
    url: str,
    hint: ListingEntry | None,
) -> tuple[str | None, str | None, str | None, str | None, set[int]]:
    """published, its source, updated, its source, and the indices of date-line blocks.

    Order of trust: JSON-LD, article meta, Dublin Core, <time>, visible text,
    URL, listing. Labelled lines ("Publicerad 8 juni 2021", "Uppdaterad: ...")
    count anywhere from just before the title to just after the body; a bare
    date line only near the title (under a body it is as likely a "reviewed"
    stamp). An update at the moment of publication is no update.
    """
    published, updated = _machine_dates(head)
    date_blocks: set[int] = set()
    lo, hi = near_title.start, near_title.stop
    seen_published = False
    blocks = seg.blocks
    for value, text, classes, position in seg.times:
        line = blocks[position].text if position in around_body else ""
        if text and text in line and len(line) - len(text) <= 24:
            date_blocks.add(position)  # a line that is a <time> and a label at most
        if not lo <= position <= hi:
            continue
        is_update = "updat" in classes or "modif" in classes or seen_published
        found = updated if is_update else published
        if value and (iso := normalize_datetime(value)):
            found.append(("time", iso))
        if text and (iso := parse_date(text)):
            found.append(("time", iso))
        seen_published = seen_published or not is_update
    for index in around_body:
        text = seg.blocks[index].text
        if len(text) > 160:
            continue
        labelled = parse_labelled_dates(text)
        if labelled:
            date_blocks.add(index)
            if "published" in labelled:
                published.append(("text", labelled["published"]))
            elif index in near_title and (first := parse_date(text)) not in (
                None,
                labelled["updated"],
            ):
                # "11 februari 2013 | Uppdaterad 12 februari 2013": the bare date is published.
                published.append(("text", first))
            if "updated" in labelled:
                updated.append(("text", labelled["updated"]))
            continue
        value = _date_line(text) if index in near_title else None
        if value is not None:
            date_blocks.add(index)
            published.append(("text", value))
    from_url = date_from_url(url)
    if from_url:
        published.append(("url", from_url))
    if hint is not None and hint.published:
        published.append(("listing", hint.published))
    published_source, published_value = _choose(published)
    updated_source, updated_value = _choose(updated)
    if (
        published_value
        and updated_value
        and (
            _same_moment(published_value, updated_value)
            or (
                updated_value[:10] == published_value[:10]
                and (len(updated_value) == 10 or len(published_value) == 10)
            )
        )
    ):
        updated_source = updated_value = None
    return published_value, published_source, updated_value, updated_source, date_blocks


# --------------------------------------------------------------------------
# Regions, images, attachments


def _common_ancestor(seg: Segmented, a: int, b: int) -> int:
    ancestors = set()
    while a >= 0:
        ancestors.add(a)
        a = seg.parents[a]
    while b >= 0 and b not in ancestors:
        b = seg.parents[b]
    return max(b, 0)


def _under_furniture(seg: Segmented, element: int, region: int, *, strict: bool) -> bool:
    """True when ``element`` sits in a furniture subtree strictly below ``region``.

    ``strict`` also counts class/id evidence (related posts, share bars), not
    only furniture tags.
    """
    while element > region:
        flags = seg.own_flags[element]
        if flags & FURNITURE:
            return True
        if strict and flags & NEGATIVE and not flags & (CAPTION | FIGURE):
            return True
        element = seg.parents[element]
    return False


def _is_icon(src: str, classes: str, width: int | None) -> bool:
    """Logos, icons, spacers: by size, file name words or class words (not by alt text)."""
    if width is not None and width < 48:
        return True
    path = src.lower().split("?", 1)[0]
    if path.endswith(".svg"):
        return True
    name = path.rsplit("/", 1)[-1]
    words = set(_TOKEN_RE.split(f"{name} {classes}"))
    return bool(words & sel.ICON_WORDS)


def _caption_after(seg: Segmented, position: int, alt: str | None) -> bool:
    """True when the block right after an image is its caption.

    Marked as one (figcaption, "bildtext" class), the alt text written out
    again (old sites double their captions), or a short line with a credit
    ("Foto: ...").
    """
    if position >= len(seg.blocks):
        return False
    block = seg.blocks[position]
    if block.all_flags & CAPTION:
        return True
    text = block.text
    if alt and (text == alt or (text.startswith(alt) and len(text) < len(alt) + 60)):
        return True
    return len(text) < 250 and bool(_CREDIT_RE.search(text))


def _find_images(seg: Segmented, region: int, base: str, captions: set[int]) -> tuple[Image, ...]:
    """The release's images; ``captions`` receives the indices of caption blocks."""
    end = seg.ends[region]
    images: list[Image] = []
    seen: set[str] = set()
    for ref in seg.images:
        if not region <= ref.element <= end:
            continue
        if _under_furniture(seg, ref.element, region, strict=True):
            continue
        if _is_icon(ref.src, ref.classes, ref.width):
            continue
        url = urljoin(base, ref.src)
        if url in seen:
            continue
        seen.add(url)
        caption = ref.caption
        if caption is None and ref.figure >= 0:
            stop = seg.ends[ref.figure]
            texts = [
                b.text
                for b in seg.blocks
                if ref.figure <= b.element <= stop and b.all_flags & CAPTION
            ]
            caption = " ".join(texts) or None
        alt = " ".join(ref.alt.split()) if ref.alt else None
        if caption is None and _caption_after(seg, ref.position, alt):
            caption = seg.blocks[ref.position].text
            captions.add(ref.position)
        images.append(Image(url=url, alt=alt or None, caption=caption))
    return tuple(images)


def _attachment_title(text: str) -> str | None:
    return " ".join(text.split()) or None


def _find_attachments(seg: Segmented, region: int, base: str) -> tuple[Attachment, ...]:
    end = seg.ends[region]
    found: list[Attachment] = []
    seen: set[str] = set()
    for ref in seg.links:
        if not region <= ref.element <= end:
            continue
        if _under_furniture(seg, ref.element, region, strict=False):
            continue
        url = urljoin(base, ref.href.strip())
        if url in seen:
            continue
        seen.add(url)
        path = urlsplit(url).path
        extension = path.rsplit(".", 1)[-1].lower()
        found.append(
            Attachment(
                url=url,
                title=_attachment_title(ref.node.text(deep=True)),
                mime_type=sel.ATTACHMENT_TYPES.get(extension),
            )
        )
    return tuple(found)


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


def _guess_language(text: str) -> str | None:
    words = _WORD_RE.findall(text[:3000].lower())
    swedish = sum(1 for w in words if w in _SWEDISH)
    english = sum(1 for w in words if w in _ENGLISH)
    if swedish == english == 0:
        return None
    return "sv" if swedish >= english else "en"


def _language(head: _Head, body: str) -> str | None:
    if head.lang:
        code = head.lang.strip().lower().replace("_", "-").split("-", 1)[0]
        if code.isalpha() and 2 <= len(code) <= 3:
            return code
    return _guess_language(body)


# --------------------------------------------------------------------------
# Entry points


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

    :param template: what the page's site repeats (``scraper.boilerplate.learn_template``);
        without one, only generic evidence removes boilerplate.
    :param source: the page's source: its ``default_kind`` and extraction overrides
        (``body_selector``, ``drop_selectors``, ``date_selector``) are applied.
    :param hint: what the listing said about the release (kind, published date), used
        when the page itself says nothing (its ``updated``, a sitemap lastmod, is not used:
        it says when a page was rendered as often as when it was changed).
    :raises ExtractError: when the page holds no release (no title: no <h1>, og:title or
        <title>), or an override selector matches nothing.
    """
    tree = LexborHTMLParser(html)
    _apply_drop_selectors(tree, source)
    head = _read_head(tree)
    base = urljoin(url, head.base) if head.base else url
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

    title, title_index = _find_title(seg, head)
    categories = [" ".join(a.text().split()) for a in tree.css('a[rel~="tag"]')]
    kind, kind_index = _find_kind(title, seg, categories, title_index, hint, source)

    kept = list(selection.kept)
    first_body = kept[0] if kept else len(seg.blocks)
    last_body = kept[-1] if kept else len(seg.blocks) - 1
    count = len(seg.blocks)
    start = max(0, (title_index if title_index >= 0 else first_body) - 3)
    near_title = range(start, min(count, max(first_body, title_index + 1) + 3))
    around_body = range(start, min(count, max(last_body, title_index) + 4))
    published, published_source, updated, updated_source, date_blocks = _find_dates(
        head, seg, near_title, around_body, url, hint
    )
    if source is not None and source.date_selector:
        published, published_source = _override_date(tree, url, source.date_selector)

    region = selection.top
    if title_index >= 0:
        region = _common_ancestor(seg, seg.blocks[title_index].element, selection.top)
    lead_blocks = _find_lead(seg, region, title_index, last_body, drops | date_blocks, kept)
    lead = " ".join(seg.blocks[i].text for i in lead_blocks) or None

    captions: set[int] = set()
    images = _find_images(seg, region, base, captions)

    skip = set(lead_blocks) | date_blocks | captions | {title_index, kind_index}
    texts = [
        seg.blocks[i].text
        for i in selection.kept
        if i not in skip and seg.blocks[i].text != title and seg.blocks[i].text != lead
    ]
    body = "\n\n".join(texts)
    if not _LETTER_RE.search(title):
        # No <h1>, no og:title, no <title>: whatever text there is, it is no release.
        raise ExtractError("page holds no title (no <h1>, og:title or <title>)", url=url)
    if not _LETTER_RE.search(body) and not (lead and _LETTER_RE.search(lead)):
        # An empty or broken page must never replace a good stored version.
        raise ExtractError("page holds no release text (empty body)", url=url)

    canonical = url
    candidate = head.canonical or head.meta.get("og:url")
    if candidate:
        resolved = urljoin(base, candidate)
        if _same_site(resolved, url):
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
        language=_language(head, body),
        images=images,
        attachments=_find_attachments(seg, region, base),
    )


def _override_date(tree: LexborHTMLParser, url: str, selector: str) -> tuple[str, str]:
    node = tree.css_first(selector)
    if node is None:
        raise ExtractError("date_selector matches nothing", url=url, selector=selector)
    value = node.attributes.get("datetime") or node.attributes.get("content") or node.text()
    iso = normalize_datetime(value or "") or parse_date(node.text())
    if iso is None:
        raise ExtractError("date_selector holds no date", url=url, selector=selector)
    return iso, "override"


def body_text(html: str, url: str) -> str:
    """Return the clean body text of one page, with no site knowledge.

    The single-page mode of the extractor, as scored by
    ``../shared/extraction-benchmark/evaluate.py -e scraper.extract:body_text``.
    """
    del url
    seg = segment_page(LexborHTMLParser(html), with_refs=False)
    return "\n\n".join(seg.blocks[i].text for i in select_content(seg).kept)
