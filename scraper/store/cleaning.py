"""Clean text at the door: what a release may hold before it is stored (pure).

Every text field of a release (title, kind, lead, body, language, the
sources of its dates, image alt texts and captions, attachment titles and
types) loses its control characters (C0 and C1, DEL and lone surrogates;
tab and newline stay) and is cut to its limit. ``save_release`` applies it
to every release it writes, so no path into ``releases``, ``images`` or
``attachments`` goes around it. The names of the fields that were cut are
stored in ``releases.cut`` (comma-separated; NULL when nothing was cut).
URLs are left alone: they are the release's identity.
"""

from __future__ import annotations

import re
from dataclasses import replace

from scraper.records import Release

__all__ = ["FIELD_LIMITS", "clean_release", "clean_text"]

#: Longest text kept per field, in characters (README, "Clean text at the door").
#: The body is bounded by the fetch's ``max_bytes`` only.
FIELD_LIMITS: dict[str, int] = {
    "title": 500,
    "kind": 100,
    "lead": 5_000,
    "language": 35,
    "published_source": 40,
    "updated_source": 40,
    "image.alt": 1_000,
    "image.caption": 2_000,
    "attachment.title": 500,
    "attachment.mime_type": 255,
}

#: Control characters but tab and newline; DEL and C1; lone surrogates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_ELLIPSIS = "…"


def clean_text(text: str, limit: int | None = None) -> tuple[str, bool]:
    """(the text without control characters, cut to ``limit``; whether it was cut).

    A carriage return becomes a newline (``\\r\\n`` one newline) rather than
    vanishing, so that two lines do not run together. A cut text ends in "…"
    and is at most ``limit`` characters long, ellipsis included.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    if limit is None or len(text) <= limit:
        return text, False
    return text[: limit - 1].rstrip() + _ELLIPSIS, True


def clean_release(release: Release) -> tuple[Release, tuple[str, ...]]:
    """The release with every text field cleaned, and the names of the fields cut."""
    cut: list[str] = []

    def clean(value: str | None, name: str) -> str | None:
        if value is None:
            return None
        text, was_cut = clean_text(value, FIELD_LIMITS.get(name))
        if was_cut and name not in cut:
            cut.append(name)
        return text

    images = tuple(
        replace(
            image,
            alt=clean(image.alt, "image.alt"),
            caption=clean(image.caption, "image.caption"),
        )
        for image in release.images
    )
    attachments = tuple(
        replace(
            attachment,
            title=clean(attachment.title, "attachment.title"),
            mime_type=clean(attachment.mime_type, "attachment.mime_type"),
        )
        for attachment in release.attachments
    )
    cleaned = replace(
        release,
        title=clean(release.title, "title") or "",
        kind=clean(release.kind, "kind"),
        lead=clean(release.lead, "lead"),
        body=clean(release.body, "body") or "",
        language=clean(release.language, "language"),
        published=clean(release.published, "published"),
        published_source=clean(release.published_source, "published_source"),
        updated=clean(release.updated, "updated"),
        updated_source=clean(release.updated_source, "updated_source"),
        images=images,
        attachments=attachments,
    )
    return cleaned, tuple(cut)
