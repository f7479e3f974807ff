"""Which source candidate wins, and what the choice says (pure).

Press releases, alone or among news, rank above a listing whose kind is
unknown, above news; then a listing or newsroom above a feed above a sitemap;
then the link's score and the releases seen. A listing that is a category of
another one found yields to it when the whole shows as many releases.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scraper.records import LinkCandidate, SourceCandidate

__all__ = ["discovery_status", "listing_content", "rank", "wholes_first"]

#: Press releases, alone or among news, above a listing whose kind is unknown, above news.
CONTENT_RANK = {"press": 2, "mixed": 2, "unknown": 1, "news": 0}
KIND_RANK = {"newsroom": 3, "listing": 3, "feed": 2, "sitemap": 1}


def listing_content(verdict_kind: str, cand: LinkCandidate) -> str:
    """What a listing holds: its items' kinds, else what the link to it said."""
    if verdict_kind != "unknown":
        return verdict_kind
    words = f"{cand.label} {cand.url}".lower()
    if "press" in words:
        return "press"
    if any(w in words for w in ("nyhet", "aktuellt", "news")):
        return "news"
    return "unknown"


def rank(cand: SourceCandidate) -> tuple[int, int, float, int]:
    return (
        CONTENT_RANK.get(cand.content, 1),
        KIND_RANK.get(cand.kind, 0),
        cand.score,
        cand.releases_seen,
    )


def wholes_first(ranked: list[SourceCandidate]) -> list[SourceCandidate]:
    """The same order, except that a listing that is part of another one found
    (a category under the news listing: ``/blog/category/pressmeddelande/``
    under ``/blog/``) comes after it when both hold press releases and the
    whole shows as many: the whole listing loses none of the other parts
    (press invitations ...)."""

    def folder(url: str) -> str:
        # "/blog/" holds "/blog/category/x/"; Sitevision's "/press.html" holds "/press/x.html"
        path = urlsplit(url).path
        return path if path.endswith("/") else path.rsplit(".", 1)[0] + "/"

    def part_of_another(cand: SourceCandidate) -> bool:
        if cand.kind != "listing" or cand.content not in ("press", "mixed"):
            return False
        here = urlsplit(cand.url)
        return any(
            other is not cand
            and other.kind == "listing"
            and other.content in ("press", "mixed")
            and other.verified >= cand.verified
            # a hub's "latest three" box is no whole listing
            and other.releases_seen >= cand.releases_seen
            and urlsplit(other.url).netloc == here.netloc
            and here.path.startswith(folder(other.url))
            and here.path != urlsplit(other.url).path
            for other in ranked
        )

    wholes = [c for c in ranked if not part_of_another(c)]
    return wholes + [c for c in ranked if part_of_another(c)]


def discovery_status(choice: SourceCandidate | None) -> str:
    """press: the choice holds press releases (alone or among news); news_only: news."""
    if choice is None:
        return "none"
    return "press" if choice.content in ("press", "mixed") else "news_only"
