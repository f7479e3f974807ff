"""Typed records passed between the stages of the scraper.

Every record is a frozen dataclass of plain values: no parse trees, no
responses, no clients. Stages:

    config  -> Config / Settings / Source
    fetch   -> Page
    discover-> Listing (ListingEntry ...)
    extract -> Release (Image, Attachment)
    boilerplate -> SiteTemplate (what one site repeats on its pages)
    crawl   -> SourceReport (what one run did for one source)
    fetch   -> RobotsTxt (a robots.txt answer the store keeps between runs)
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

# --------------------------------------------------------------------------
# Configuration


@dataclass(frozen=True)
class RefetchSchedule:
    """How often a known release is fetched again, by its age.

    A release younger than ``young_days`` is re-checked after ``young_every``
    days, one younger than ``middle_days`` after ``middle_every`` days, any
    older one after ``old_every`` days.
    """

    young_days: int = 7
    young_every: float = 1.0
    middle_days: int = 90
    middle_every: float = 7.0
    old_every: float = 30.0


@dataclass(frozen=True)
class Settings:
    """Top-level settings of a sources file (the ``[settings]`` table)."""

    #: Sent on every request; names the project, its version and a contact URL.
    user_agent: str = ""
    #: How many hosts are fetched from at the same time.
    concurrency: int = 8
    #: Default seconds between two requests to one host.
    delay: float = 1.0
    #: Seconds for connect / read / the whole request.
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 60.0
    #: Attempts per request (first try included) on connection errors, 5xx, 429.
    retries: int = 4
    #: Longest Retry-After we are willing to wait, in seconds.
    max_retry_after: float = 120.0
    #: Consecutive failures after which a host is given up for the run.
    host_failure_limit: int = 5
    #: Seconds a host may keep us waiting without any answer (timeouts, failed
    #: connections), counted since it last answered, before it is given up for
    #: the run; 0 for no limit.
    host_time_budget: float = 60.0
    #: Seconds after which an answer counts as slow (for ``host_slow_limit``).
    slow_answer: float = 10.0
    #: Attempts to a host (its last ones) in which slow or missing answers are counted.
    host_slow_window: int = 10
    #: Slow or missing answers among the last ``host_slow_window`` attempts that give
    #: the host up for the run, however many good answers came between; 0: never.
    host_slow_limit: int = 5
    #: Largest body accepted, in bytes (after decompression).
    max_bytes: int = 10_000_000
    #: Redirects followed per request.
    max_redirects: int = 10
    #: Days a release may be missing from its listing (while its page redirects
    #: away) before it is marked removed.
    removal_grace_days: int = 14
    refetch: RefetchSchedule = field(default_factory=RefetchSchedule)
    #: Base of the exponential backoff between retries, in seconds: retry n
    #: waits a random time in [0, retry_backoff * 2**(n-1)] (full jitter).
    retry_backoff: float = 1.0
    #: Hours a robots.txt answer is reused across runs (RFC 9309: at most 24).
    robots_cache_hours: float = 24.0
    #: Longest Crawl-delay honoured, in seconds; a host asking for more is skipped
    #: for the run (with that reason) rather than stalling it.
    max_crawl_delay: float = 120.0
    #: When a source's listing stops working (404/410, a redirect to the home
    #: page, no release links two runs running), discovery runs again for its
    #: organisation: "propose" shows what it found in ``scraper status``;
    #: "switch" also crawls there from then on (recorded in ``source_events``).
    heal: str = "propose"
    #: Requests per source per run (listing pages, new releases, re-checks); what is
    #: left waits in the frontier for the next run. 0: no limit.
    max_requests_per_source: int = 2000
    #: New release URLs fetched per source per run: a listing that suddenly offers
    #: thousands of unknown items gets a batch per run (reported), the rest waits.
    #: 0: no limit.
    max_new_releases: int = 1000
    #: Seconds one source may take per run before it stops fetching (the rest
    #: waits for the next run). 0: no limit.
    source_time_budget: float = 3600.0
    #: Archive each release's images and attachments with it (``release_media``),
    #: so the archive still shows them after the site deleted them.
    media: bool = True
    #: Largest image archived, in bytes (after decompression).
    media_max_bytes: int = 5_000_000
    #: Largest attachment (PDF, document) archived, in bytes.
    attachment_max_bytes: int = 20_000_000
    #: Most bytes of images and attachments archived for one release.
    media_release_max_bytes: int = 40_000_000


@dataclass(frozen=True)
class Source:
    """One municipality's press-release or news listing."""

    #: Stable key, used in the database.
    id: str
    #: Display name, e.g. "Västerviks kommun".
    name: str
    #: Listing page, RSS/Atom feed or sitemap.
    url: str
    #: Seconds between requests to this host (``None``: the settings' delay).
    delay: float | None = None
    #: Listing pages walked at most.
    max_pages: int = 50
    #: Kind given to releases that name none themselves (e.g. "Nyhet").
    default_kind: str | None = None
    #: False until somebody checked the URL against the live site.
    verified: bool = False
    #: Escape hatch: CSS selector of the body container on this site.
    body_selector: str | None = None
    #: Escape hatch: extra CSS selectors removed before extraction.
    drop_selectors: tuple[str, ...] = ()
    #: Escape hatch: CSS selector of the element holding the publication date.
    date_selector: str | None = None
    #: Line of the ``[[source]]`` table in the sources file (for messages).
    line: int = 0
    #: The organisation publishing it: kommunkod, or "R" + county code (``scraper.registry``).
    organisation: str | None = None
    #: Only release URLs whose path starts with this ("/nyheter/"): a sitemap lists
    #: the whole site, notice board and all.
    path_prefix: str | None = None

    @property
    def overridden(self) -> bool:
        """True when the source carries hand-written extraction overrides."""
        return bool(self.body_selector or self.drop_selectors or self.date_selector)


@dataclass(frozen=True)
class Config:
    """A parsed sources file."""

    path: str
    settings: Settings
    sources: tuple[Source, ...]


# --------------------------------------------------------------------------
# Fetching


@dataclass(frozen=True)
class Page:
    """One HTTP response as fetched (after redirects)."""

    #: The URL asked for.
    url: str
    #: The URL answered, after redirects.
    final_url: str
    status: int
    #: Response headers, lower-cased names, in order.
    headers: tuple[tuple[str, str], ...]
    #: Body bytes after transfer decoding (gzip etc.), empty for a 304.
    content: bytes
    #: Body decoded to text ("" for a 304 or a non-text body).
    text: str
    #: Charset used to decode ``text`` and where it came from
    #: ("header", "meta", "detected", "default").
    encoding: str
    encoding_source: str
    #: ISO 8601 UTC time the response arrived.
    fetched_at: str
    #: Seconds the request took, retries included.
    elapsed: float = 0.0
    #: Requests made for this page (1 when the first try succeeded).
    attempts: int = 1

    def header(self, name: str) -> str | None:
        """Return the first header called ``name`` (case-insensitive), or None."""
        name = name.lower()
        for key, value in self.headers:
            if key == name:
                return value
        return None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        """Media type without parameters, lower case ("" when absent)."""
        value = self.header("content-type") or ""
        return value.split(";", 1)[0].strip().lower()

    @property
    def etag(self) -> str | None:
        return self.header("etag")

    @property
    def last_modified(self) -> str | None:
        return self.header("last-modified")


# --------------------------------------------------------------------------
# Discovery


@dataclass(frozen=True)
class ListingEntry:
    """A release as a listing, feed or sitemap shows it."""

    url: str
    title: str | None = None
    #: ISO date or datetime shown beside the link, if any.
    published: str | None = None
    #: Kind label shown beside the link ("Pressmeddelande"), if any.
    kind: str | None = None
    #: Sitemap lastmod / feed updated, if any.
    updated: str | None = None


@dataclass(frozen=True)
class Listing:
    """What one listing page (or feed, or sitemap) points to."""

    url: str
    #: "html", "rss", "atom" or "sitemap".
    format: str
    entries: tuple[ListingEntry, ...]
    #: The next listing page, if the page has pagination.
    next_url: str | None = None
    #: Feeds announced with <link rel="alternate"> on an HTML listing.
    feed_urls: tuple[str, ...] = ()


# --------------------------------------------------------------------------
# Extraction


@dataclass(frozen=True)
class Image:
    url: str
    alt: str | None = None
    caption: str | None = None


@dataclass(frozen=True)
class Attachment:
    url: str
    title: str | None = None
    mime_type: str | None = None


@dataclass(frozen=True)
class Release:
    """The clean content and metadata of one release page."""

    #: URL the page was fetched from.
    url: str
    #: <link rel="canonical"> or og:url when present and on the same site,
    #: else ``url``: the release's identity.
    canonical_url: str
    title: str
    #: "Pressmeddelande", "Pressinbjudan", "Nyhet", ... or None when unknown.
    kind: str | None
    #: ISO 8601 date (YYYY-MM-DD) or datetime (YYYY-MM-DDTHH:MM[:SS][+HH:MM]).
    published: str | None
    #: Where ``published`` came from: "json-ld", "meta", "dublin-core", "time",
    #: "text", "url", "listing", "override".
    published_source: str | None
    updated: str | None
    updated_source: str | None
    #: The ingress, when the page marks one.
    lead: str | None
    #: Clean text, paragraphs separated by one blank line.
    body: str
    #: ISO 639-1 code, e.g. "sv".
    language: str | None
    images: tuple[Image, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    #: True for a short release: its lead and body hold fewer than 300 characters
    #: (a press invitation, a one-line notice), or none at all (a page with a
    #: headline and a date of its own but no text). Its body is only the text in
    #: the release's own place, after the headline; a thin version should not
    #: silently replace a fuller stored one (it may be a page broken on the site).
    thin: bool = False

    @property
    def content_hash(self) -> str:
        """SHA-256 of the editorial content (title, published, lead, body).

        Images, attachments and metadata sources are left out on purpose: a
        revision is a change of what the release says.
        """
        payload = json.dumps(
            [self.title, self.published, self.lead or "", self.body],
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SiteTemplate:
    """What one site repeats across its pages, learned from its stored pages.

    ``blocks`` maps a block fingerprint (see ``scraper.extract.template``) to the
    share of the learned pages that carry it; a fingerprint at or above
    ``threshold`` is boilerplate on this site.
    """

    source: str
    pages: int
    blocks: tuple[tuple[str, float], ...] = ()
    threshold: float = 0.5
    learned_at: str | None = None

    def repeated(self) -> frozenset[str]:
        """Fingerprints that count as boilerplate on this site."""
        if self.pages < 2:
            return frozenset()
        return frozenset(fp for fp, share in self.blocks if share >= self.threshold)

    @property
    def fingerprint(self) -> str:
        """A short hash of what extraction takes from the template (``repeated()``).

        Two templates with the same fingerprint extract every page alike: a
        release extracted under another fingerprint is due for re-extraction.
        """
        payload = "\n".join(sorted(self.repeated()))
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------
# Reporting


@dataclass(frozen=True)
class SourceReport:
    """What one update did for one source."""

    source: str
    discovered: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    not_modified: int = 0
    removed: int = 0
    failed: int = 0
    #: Release links the source's listings, feeds and sitemaps have shown (all runs).
    listed: int = 0
    #: Of those, links no archived release answers to (``coverage_gaps`` says why).
    missing: int = 0
    #: Why the source as a whole failed (listing unreachable ...), or None.
    error: str | None = None
    #: What looked wrong this run without failing it: traps, budgets reached.
    findings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None


# --------------------------------------------------------------------------
# Where an organisation publishes (scraper discover)


@dataclass(frozen=True)
class HomePage:
    """Where source discovery starts for one organisation."""

    url: str
    #: The organisation's name, so that a newsroom naming someone else is refused.
    name: str | None = None
    #: Its registry id (kommunkod, or "R" + county code).
    organisation: str | None = None


@dataclass(frozen=True)
class SourceCandidate:
    """A place an organisation may publish its releases, as found and checked."""

    #: Listing page, feed, sitemap or newsroom listing (absolute URL).
    url: str
    #: "listing", "feed", "sitemap" or "newsroom".
    kind: str
    #: Newsroom platform ("mynewsdesk", "viatt", "cision", "notified", ...) or "".
    platform: str = ""
    #: The link text or feed title it was found by.
    label: str = ""
    #: The link's score (higher is better), from the words and places that led to it.
    score: float = 0.0
    #: True when its own pages showed releases and sampled items extracted.
    verified: bool = False
    #: What it holds, by its labels and items: "press", "mixed", "news" or "unknown".
    content: str = "unknown"
    #: Release links seen on it.
    releases_seen: int = 0
    #: Why: the path of links, the listing's shape, the sampled items.
    evidence: tuple[str, ...] = ()
    #: Release URLs it showed (the first few), for sampling.
    entries: tuple[str, ...] = ()
    #: For a sitemap: the folder its releases are in ("/nyheter/").
    path_prefix: str = ""


@dataclass(frozen=True)
class Discovery:
    """Where one home page's organisation publishes, best candidate first."""

    #: The home page asked for.
    home: str
    #: Where it landed after redirects (another domain, a portal), None if unreachable.
    final_home: str | None
    #: The CMS of the home page ("sitevision", ... "homegrown"; "unknown" if unreachable).
    cms: str
    #: "press", "news_only", "none" or "unreachable".
    status: str
    candidates: tuple[SourceCandidate, ...] = ()
    #: Pages, feeds and sitemaps the discovery asked for (robots.txt and redirects apart).
    requests: int = 0
    #: Why the home page could not be read, for "unreachable".
    error: str | None = None
    #: The organisation's registry id, when discovered from the registry.
    organisation: str | None = None
    #: The organisation's name, when known.
    name: str | None = None

    @property
    def choice(self) -> SourceCandidate | None:
        """The first verified candidate: where to crawl."""
        return next((c for c in self.candidates if c.verified), None)


# --------------------------------------------------------------------------
# Politeness state kept between runs


@dataclass(frozen=True)
class RobotsTxt:
    """A definite robots.txt answer, to keep between runs (the caller decides how long).

    A 2xx carries the file; a 3xx/4xx answer ("no robots.txt": all allowed)
    has ``text`` "". Unreachable hosts and 5xx are never definite.
    """

    #: ``scheme://host[:port]/robots.txt`` as requested.
    url: str
    status: int
    text: str
    #: ISO 8601 UTC time it was fetched.
    fetched_at: str


# --------------------------------------------------------------------------
# The organisations the archive covers


@dataclass(frozen=True)
class Organisation:
    """A Swedish municipality (kommun) or region, from the registry shipped with the package."""

    #: Stable key: the four-digit kommunkod of a municipality ("0883"), or "R" and
    #: the county code for a region ("R08").
    id: str
    #: "kommun" or "region".
    kind: str
    #: Official name ("Västerviks kommun", "Region Kalmar län").
    name: str
    #: Two-digit county (län) code ("08").
    county_code: str
    #: The county's name ("Kalmar län").
    county: str
    #: The organisation's web domain ("vastervik.se").
    domain: str
    #: Its home page ("https://www.vastervik.se/"), where source discovery starts.
    homepage: str
    #: SCB's municipality code; None for a region.
    kommunkod: str | None = None
    #: Organisation number ("212000-0929"), where known.
    org_number: str | None = None
    #: Registered population on 31 December of ``population_year`` (SCB).
    population: int | None = None
    population_year: int | None = None


# Source discovery: where a municipality publishes its releases (pure guesses
# from fetched pages; the caller decides what to fetch next)


@dataclass(frozen=True)
class CmsGuess:
    """Which CMS a site runs, guessed from one page (and its response headers)."""

    #: "sitevision", "episerver", "wordpress", "municipio", "drupal", "websphere",
    #: or "homegrown" when no CMS shows itself.
    cms: str
    #: "high" (an unambiguous marker, such as a meta generator), "low"
    #: (circumstantial markers only) or "none" (homegrown).
    confidence: str = "none"
    #: Why: the markers found, strongest first ("meta generator 'Sitevision'").
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Newsroom:
    """An off-site newsroom platform page (Mynewsdesk, Via TT, Cision, ...)."""

    #: "mynewsdesk", "viatt", "cision", "notified" or "newsmachine".
    platform: str
    #: The newsroom's start page.
    home: str
    #: The newsroom's listing of press releases (may be ``home`` itself), if known.
    press_listing: str | None = None
    #: RSS/Atom feeds: those the page announces first, then the platform's
    #: conventions (guesses, unverified).
    feed_urls: tuple[str, ...] = ()
    #: The organisation the newsroom belongs to, as the page names it, if given.
    organisation_name: str | None = None
    #: The platform's key for the organisation (slug or publisher id), if known.
    account: str | None = None
    #: What the given URL is on the platform: "home", "listing", "release",
    #: "feed" or "other".
    page: str = "other"
    #: Why the page was taken for this platform and where each value came from.
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class OrganisationMatch:
    """Whether a page names the same organisation as the one we look for."""

    #: True when one of the names the page gives itself is the organisation.
    same: bool
    #: The page's name that matched (or the best one it gives, when none did).
    name: str | None = None
    #: Why: the names compared, after normalisation.
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class LinkCandidate:
    """A link (or announced feed) scored as a way to a municipality's releases."""

    #: Absolute, normalised URL.
    url: str
    #: The link's text (or title, aria-label, image alt; a feed's title).
    label: str
    #: "listing" (a list of releases), "newsroom" (an off-site newsroom),
    #: "feed" (RSS/Atom), "sitemap" (an XML or HTML site map), "hub" (a page
    #: expected to link onward, such as "Press och media") or "other".
    kind: str
    #: Newsroom platform for off-site newsrooms ("mynewsdesk" ...), else None.
    platform: str | None = None
    #: Higher is better; below zero is a decoy (press images, parties, ...).
    score: float = 0.0
    #: Why: each rule that added or took away points, with its points.
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListingVerdict:
    """Whether a fetched page is a listing of releases, and of which kind."""

    url: str
    #: True when the page lists releases (enough same-shaped, dated links, a feed ...).
    is_listing: bool
    #: "press", "news", "mixed" or "unknown": from the page's heading, title,
    #: URL words and the kind labels on its items.
    kind: str = "unknown"
    #: Release links the page shows.
    releases_seen: int = 0
    #: The newest date among them (ISO), if any shows one.
    newest: str | None = None
    #: The first release URLs (at most ten), in page order.
    entries: tuple[str, ...] = ()
    #: The next listing page, when the page has pagination.
    next_url: str | None = None
    #: Why: the counts and signs the verdict rests on.
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReleaseFolder:
    """A sitemap folder that holds many dated pages: where releases live."""

    #: The folder as an absolute URL prefix, e.g. "https://x.se/nyheter/".
    folder: str
    #: Pages found under it (the folder's own page not counted).
    pages: int
    #: Of those, pages with a date in the URL or a dated folder (/2026/11/).
    dated: int
    #: "press", "news" or "unknown", from the folder's words.
    kind: str = "unknown"
    #: Newest date seen (URL date, lastmod, or "YYYY-MM" of a /YYYY/MM/ path), if any.
    newest: str | None = None
    #: The folder's own page when the sitemap lists it (a listing to try).
    listing: str | None = None
    #: A few of its pages, newest first when dated.
    examples: tuple[str, ...] = ()
    #: Why: counts and the folder's words.
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class MediaRef:
    """An image or attachment of a stored release, to be archived with it."""

    release_id: int
    #: The file's absolute URL, as the release page gave it.
    url: str
    #: "image" or "attachment".
    kind: str
    #: The release's URL: the site whose same-site rules the file must meet.
    page_url: str
