"""Short releases are archived, with their own text (issue "Nothing lost, ever").

A press invitation or a short notice holds a headline, a date and a line or
two; around it sit a cookie banner, a "Kontakta oss" form and a personal-data
notice holding more text than the release. The release is archived with
``thin=True`` and its body is the text in its own place, after the headline,
never the furniture (tests/short_release_pages.py, expectations by hand).

A page with a headline and a date of its own but no text at all is archived
too, with an empty body (thin): a listed release whose page says nothing more
than its headline and date still happened, and storage can tell a thin
version from a full one. Without a date on the page (only in its URL or on the
listing) an empty page is more likely broken than a release: ExtractError.
"""

from __future__ import annotations

import re

import pytest
from release_page import PAGE
from short_release_pages import CASES, EPISERVER, GDPR_SV, SITEVISION, WORDPRESS, Case, _page

from scraper.errors import ExtractError
from scraper.extract.release import THIN_CHARS, extract_release
from scraper.extract.template import learn_template
from scraper.records import ListingEntry

FURNITURE_WORDS = re.compile(
    r"Kontakta oss|Skicka|personuppgift|kakor|cookies|Namn|E-post|Meddelande|obligatoriska"
    r"|123 45 Ekås|Organisationsnummer|Senaste nyheterna|Kategori",
    re.IGNORECASE,
)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_short_release_keeps_its_own_text(case: Case) -> None:
    release = extract_release(case.html, case.url)
    assert release.title == case.title
    assert release.published == case.published
    assert release.body == case.body
    assert release.lead is None
    assert release.thin
    assert not FURNITURE_WORDS.search(release.body)


LAYOUTS = {"sitevision": SITEVISION, "episerver": EPISERVER, "wordpress": WORDPRESS}
OTHER_NEWS = (
    ("Ny cykelväg till Backa", "Den nya cykelvägen mellan Ekås och Backa öppnar i juni och är "
     "fyra kilometer lång. Den går längs den gamla banvallen."),
    ("Biblioteket får längre öppettider", "Från och med januari har huvudbiblioteket öppet "
     "till klockan 20 på vardagar. Lördagar öppnar det redan klockan 10."),
    ("Budgeten för 2025 antagen", "Fullmäktige antog på måndagen budgeten för nästa år, med "
     "satsningar på äldreomsorgen och på skolans lokaler."),
    ("Sommarjobb för unga", "Kommunen erbjuder i år 300 sommarjobb till ungdomar mellan 16 "
     "och 18 år. Ansökan öppnar den första mars."),
)  # fmt: skip


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_short_release_keeps_its_own_text_with_the_site_template(layout: str) -> None:
    """With the site's template learned from its pages, the answer is the same."""
    cases = [case for case in CASES if case.name.startswith(layout)]
    others = [
        (f"https://www.ekas.example/n/{n}", _page(LAYOUTS[layout], title=title,
         date="1 mars 2024", iso="2024-03-01", slug=f"n{n}", body=f"<p>{text}</p>"))
        for n, (title, text) in enumerate(OTHER_NEWS)
    ]  # fmt: skip
    template = learn_template(layout, others + [(c.url, c.html) for c in cases], now="2026-01-01")
    for case in cases:
        release = extract_release(case.html, case.url, template=template)
        assert (release.body, release.thin) == (case.body, True), case.name


def test_empty_page_without_a_date_of_its_own_is_no_release() -> None:
    """The date only in the URL or on the listing: an empty page may be a broken one."""
    case = next(case for case in CASES if case.name == "sitevision, no body")
    undated = case.html.replace("Publicerad 17 april 2025", "")
    hint = ListingEntry(url=case.url, published="2025-04-17")
    with pytest.raises(ExtractError, match="empty body"):
        extract_release(undated, "https://www.ekas.example/nyheter/2025/04/17/kf.html", hint=hint)
    # The same page with its date is a thin release with no text.
    release = extract_release(case.html, case.url, hint=hint)
    assert (release.body, release.thin, release.published) == ("", True, "2025-04-17")


def test_one_line_without_a_date_is_still_a_thin_release() -> None:
    case = next(case for case in CASES if case.name == "episerver, one line")
    undated = case.html.replace("Publicerad: 2025-03-12", "").replace(
        '<meta name="DC.Date" content="2025-03-12">', ""
    )
    release = extract_release(undated, case.url)
    assert (release.body, release.thin, release.published) == (case.body, True, None)


LONG_BODY = "".join(
    f"<p>{text}</p>"
    for text in (
        "Kommunfullmäktige beslutade på måndagen att bygga en ny förskola i centrala Ekås. "
        "Bygget startar under hösten och förskolan ska stå klar till sommaren 2026.",
        "– Vi är glada att kunna erbjuda fler platser, säger barn- och utbildningschefen "
        "Anna Berg. Efterfrågan har ökat stadigt under de senaste åren och köerna har växt.",
        "Förskolan får sex avdelningar med plats för 120 barn och byggs med solceller på taket. "
        "Gården planeras tillsammans med barnen och deras föräldrar under våren.",
    )
)


def test_a_long_release_is_not_thin_and_keeps_its_body() -> None:
    html = PAGE.format(title="Ny förskola", before="", after=LONG_BODY, head="", lang="sv")
    release = extract_release(html, "https://ekas.se/a/")
    assert not release.thin and len(release.body) >= THIN_CHARS
    assert release.body.startswith("Kommunfullmäktige") and release.body.endswith("våren.")


def test_body_apart_from_the_headline_is_not_cut_to_a_short_release() -> None:
    """A form between the headline and a long body ends the own place, not the release."""
    listen = "<form action='/lyssna'><label>Lyssna på sidan</label></form>"
    html = PAGE.format(title="Ny förskola", before="", after=listen + LONG_BODY, head="", lang="sv")
    release = extract_release(html, "https://ekas.se/a/")
    assert release.body.startswith("Kommunfullmäktige") and not release.thin


def test_personal_data_notice_alone_is_never_a_body() -> None:
    """No form before it: the notice's heading ends the release's own place."""
    html = PAGE.format(
        title="Vattnet stängs av", before="", head="", lang="sv",
        after="<p>Vattnet stängs av på Storgatan i morgon.</p>"
        f"<h2>Så behandlar vi dina personuppgifter</h2><p>{GDPR_SV}</p>",
    )  # fmt: skip
    release = extract_release(html, "https://ekas.se/a/")
    assert (release.body, release.thin) == ("Vattnet stängs av på Storgatan i morgon.", True)
