"""Archive the images and attachments of stored releases, so the archive still shows
them after the site deleted them.

Run once per source after its releases are stored (``archive_media``): every
image and attachment of its releases not yet archived (``Archive.pending_media``)
is fetched through the run's ``Fetcher`` (robots.txt, the per-host delay,
retries, the same redirect rules as release pages), only from the release's
own site or a known image host, within a byte cap per file (images and
attachments have their own) and per release. Each file is stored once per
distinct content (``scraper.store.media``). A file that cannot be had is noted
with the reason and never fails its release or source; a failed one is tried
again in the next runs (``MEDIA_ATTEMPTS``). Each request is paid from the
source's budget for the run (``spend``, the same as its pages'): once it is
spent, the files not reached wait, still pending, for the next run.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from scraper.errors import FetchError, RobotsDisallowed
from scraper.fetch.client import Fetcher, registrable_domain
from scraper.records import MediaRef, Settings, Source
from scraper.store import Archive

__all__ = ["MEDIA_HOSTS", "archive_media", "media_refusal", "sniff_type"]

#: Registrable domains that serve municipalities' images and documents for them
#: (newsroom platforms' asset hosts, the CDNs Swedish municipal CMSs publish
#: through): a file there is the release's own, not a third party's.
MEDIA_HOSTS = frozenset(
    {
        "mynewsdesk.com",  # mnd-assets.mynewsdesk.com
        "cision.com",  # mb.cision.com
        "notified.com",
        "viatt.se",
        "newsmachine.se",
        "sitevision-cloud.se",
        "imagevault.media",
        "azureedge.net",
        "cloudfront.net",
        "ctfassets.net",
    }
)

#: Leading bytes of the formats an archived file is recognised by: a server's
#: Content-Type is often wrong or generic (application/octet-stream).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
)

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

Log = Callable[..., None]


def sniff_type(content: bytes, declared: str) -> str:
    """The media type of a file: from its leading bytes when recognised, else as declared."""
    for magic, kind in _MAGIC:
        if content.startswith(magic):
            return kind
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content[4:12] in (b"ftypavif", b"ftypavis"):
        return "image/avif"
    head = content[:1024].lstrip().lower()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head):
        return "image/svg+xml"
    if head.startswith((b"<!doctype html", b"<html")):
        return "text/html"
    return declared or "application/octet-stream"


def media_refusal(url: str, *, page_url: str, site_url: str) -> str | None:
    """Why ``url`` is not archived with a release at ``page_url``, or None when it may be.

    Only http(s) files on the release's or the source's registrable domain, or
    on a known image host (``MEDIA_HOSTS``): a release that embeds a third
    party's picture does not make us crawl the third party.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "not an http(s) URL"
    domain = registrable_domain(url)
    own = {registrable_domain(page_url), registrable_domain(site_url)}
    if domain in own or domain in MEDIA_HOSTS:
        return None
    return f"on another site ({parts.hostname}), not the release's own"


async def archive_media(
    archive: Archive,
    fetcher: Fetcher,
    source: Source,
    *,
    settings: Settings,
    now: Callable[[], str],
    log: Log,
    spend: Callable[[], bool] = lambda: True,
) -> int:
    """Fetch and store the pending images and attachments of ``source``'s releases.

    :param log: called as ``log(source, url, "media", outcome=..., error=...,
        status=..., size=...)`` for every file tried (the run's ``fetches``).
    :param spend: called before each request; False ends the call (budget spent).
    :returns: the number of files archived in this call.
    """
    if not settings.media:
        return 0
    archived = 0
    for ref in archive.pending_media(source.id):
        try:
            archived += await _archive_one(archive, fetcher, source, ref, settings, now, log, spend)
        except _BudgetSpent:
            break
        except Exception as exc:  # a bug on one odd file must not fail the release
            reason = f"internal error: {type(exc).__name__}: {exc}"
            archive.note_media_outcome(ref, status="failed", error=reason, now=now())
            log(source, ref.url, "media", outcome="failed", error=reason)
    return archived


async def _archive_one(
    archive: Archive,
    fetcher: Fetcher,
    source: Source,
    ref: MediaRef,
    settings: Settings,
    now: Callable[[], str],
    log: Log,
    spend: Callable[[], bool],
) -> int:
    def outcome(status: str, error: str) -> int:
        archive.note_media_outcome(ref, status=status, error=error, now=now())
        return 0

    refusal = media_refusal(ref.url, page_url=ref.page_url, site_url=source.url)
    if refusal:
        return outcome("refused", refusal)
    room = settings.media_release_max_bytes - archive.release_media_bytes(ref.release_id)
    known = archive.archived_media_for_url(ref.url)
    if known is not None:  # the same file shown by another release: no request
        sha256, size = known
        if size > room:
            return outcome("too large", _release_cap(settings))
        archive.link_media(ref, sha256, now=now())
        return 1
    cap = settings.media_max_bytes if ref.kind == "image" else settings.attachment_max_bytes
    if room <= 0:
        return outcome("too large", _release_cap(settings))
    if not spend():
        raise _BudgetSpent
    try:
        page = await fetcher.fetch(
            ref.url, delay=source.delay, site=ref.page_url, purpose="media", limit=min(cap, room)
        )
    except RobotsDisallowed as exc:
        log(source, ref.url, "media", outcome="skipped", error=exc.reason, status=exc.status)
        return outcome("refused", exc.reason)
    except FetchError as exc:
        log(source, ref.url, "media", outcome="failed", error=exc.reason, status=exc.status)
        if exc.reason.startswith("body larger than"):
            return outcome("too large", exc.reason if cap <= room else _release_cap(settings))
        return outcome("failed", exc.reason)
    kind = sniff_type(page.content, page.content_type)
    if ref.kind == "image" and not kind.startswith("image/"):
        reason = f"not an image ({kind})"
    elif kind in _HTML_TYPES:
        reason = "an HTML page, not a document"
    elif not page.content:
        reason = "empty file"
    else:
        reason = None
    log(
        source,
        ref.url,
        "media",
        outcome="skipped" if reason else "fetched",
        error=reason,
        status=page.status,
        size=len(page.content),
    )
    if reason:
        return outcome("refused", reason)
    archive.save_media(ref, page.content, content_type=kind, now=now())
    return 1


class _BudgetSpent(Exception):
    """The source's budget for the run is spent: the rest waits for the next run."""


def _release_cap(settings: Settings) -> str:
    return f"the release's files would exceed {settings.media_release_max_bytes} bytes"
