"""Extraction of every fixture release against its hand-written expectation.

For each fixture site the template is learned from ALL its pages (as the
archive learns it from the raw pages it holds), then every release is
extracted and compared: title, kind and published exactly, body after
collapsing white space, no line of the site's boilerplate.txt in the body,
image alt texts, the language when the expectation names one. Single-page
mode (no template) is tested on the seed page.
"""

from __future__ import annotations

import json
import tomllib
from functools import cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from release_page import PAGE, PARAGRAPHS, release_page

from scraper.demo.sites import path_for_url
from scraper.errors import ExtractError
from scraper.extract.release import EXTRACTOR_VERSION, body_text, extract_release
from scraper.extract.template import learn_template
from scraper.records import SiteTemplate, Source

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "fixtures" / "sites"
SEED = ROOT.parent / "shared" / "seed"
BASE = "http://fixture.test"
NOW = "2026-11-27T00:00:00Z"


def _collapse(text: str | None) -> str:
    return " ".join((text or "").split())


def _site_config(site: Path) -> dict:
    return tomllib.loads((site / "site.toml").read_text(encoding="utf-8"))


def url_for_file(public: Path, path: Path) -> str:
    """The fixture URL that serves a file (inverse of ``localsites.path_for_url``)."""
    rel = path.relative_to(public).as_posix()
    stem, _, ext = rel.rpartition(".")
    query = ""
    if "__" in stem.rsplit("/", 1)[-1]:
        stem, query = stem.rsplit("__", 1)
        rel = f"{stem}.{ext}"
    if rel == "index.html" or rel.endswith("/index.html"):
        rel = rel[: -len("index.html")]
    return f"{BASE}/{rel}" + (f"?{query}" if query else "")


@cache
def site_pages(site: Path) -> tuple[tuple[str, str], ...]:
    """(url, html) of every HTML page of a site, decoded with the site's charset."""
    public = site / "public"
    charset = _site_config(site).get("charset", "utf-8")
    return tuple(
        (url_for_file(public, path), path.read_bytes().decode(charset))
        for path in sorted(public.rglob("*.html"))
    )


@cache
def site_template(site: Path) -> SiteTemplate:
    return learn_template(site.name, site_pages(site), now=NOW)


def _releases() -> list:
    cases = []
    for site in sorted(SITES.iterdir()) if SITES.is_dir() else []:
        if not (site / "site.toml").is_file():
            continue
        for expected in sorted((site / "expected").glob("*.json")):
            cases.append(pytest.param(site, expected, id=f"{site.name}/{expected.stem}"))
    return cases


def release_html(site: Path, path: str) -> str:
    """The HTML the fixture server answers for a release path ("/a/b" may be a folder)."""
    parts = urlsplit(path)
    target = path_for_url(site / "public", parts.path, parts.query)
    if target.is_dir():
        target = target / "index.html"
    return target.read_bytes().decode(_site_config(site).get("charset", "utf-8"))


def _extract(site: Path, expected: dict, *, template: SiteTemplate | None):
    config = _site_config(site)
    url = BASE + expected["path"]
    source = Source(
        id=site.name, name=config["name"], url=BASE + config["listing"],
        default_kind=config.get("default_kind"),
    )  # fmt: skip
    return extract_release(
        release_html(site, expected["path"]), url, template=template, source=source
    )


RELEASES = _releases()


@pytest.mark.parametrize(("site", "expected_path"), RELEASES)
def test_release_matches_expectation(site: Path, expected_path: Path) -> None:
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    release = _extract(site, expected, template=site_template(site))

    assert release.title == expected["title"]
    assert release.published == expected["published"]
    assert release.kind == expected["kind"]
    assert _collapse(release.body) == _collapse(expected["body"])
    if "lead" in expected:
        assert _collapse(release.lead) == _collapse(expected["lead"])
    if "language" in expected:
        assert release.language == expected["language"]
    boilerplate = (site / "boilerplate.txt").read_text(encoding="utf-8").splitlines()
    body = _collapse(release.body)
    leaked = [line for line in boilerplate if line.strip() and _collapse(line) in body]
    assert leaked == []
    url = BASE + expected["path"]
    assert [image.alt for image in release.images] == [
        image.get("alt") for image in expected.get("images", [])
    ]
    assert [image.url for image in release.images] == [
        urljoin(url, image["src"]) for image in expected.get("images", []) if "src" in image
    ]


@pytest.mark.parametrize(("site", "expected_path"), RELEASES)
def test_attachments_and_dates_match(site: Path, expected_path: Path) -> None:
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    release = _extract(site, expected, template=site_template(site))
    url = BASE + expected["path"]
    assert [a.url for a in release.attachments] == [
        urljoin(url, a["href"]) for a in expected.get("attachments", [])
    ]
    assert release.updated == expected.get("updated")
    assert all(a.mime_type for a in release.attachments)


def test_template_is_plain_data_and_round_trips() -> None:
    site = SITES / "vastervik"
    if not site.is_dir():
        pytest.skip("vastervik fixture missing")
    template = site_template(site)
    assert template.pages == len(site_pages(site))
    assert all(isinstance(fp, str) and isinstance(share, float) for fp, share in template.blocks)
    copy = SiteTemplate(**json.loads(json.dumps(template.__dict__)))
    assert copy.repeated() == template.repeated()
    assert template.repeated()


def test_one_new_page_benefits_from_a_stored_template() -> None:
    """A template learned without a page still strips that page's furniture."""
    site = SITES / "vastervik"
    if not site.is_dir():
        pytest.skip("vastervik fixture missing")
    expected = json.loads((site / "expected" / "2020-02-28-medborgarlofte.json").read_text())
    url = BASE + expected["path"]
    others = [(u, h) for u, h in site_pages(site) if u.rstrip("/") != url.rstrip("/")]
    template = learn_template("vastervik", others, now=NOW)
    release = _extract(site, expected, template=template)
    assert _collapse(release.body) == _collapse(expected["body"])


# --------------------------------------------------------------------------
# Single-page mode on the real seed page (no site knowledge)


SEED_TITLE = (
    "Pressmeddelande: Västerviks kommun och Polisen i Västervik undertecknar Medborgarlöfte"
)


def _seed_release() -> tuple[dict, str, str]:
    """The seed release (../shared/seed) as the vastervik fixture carries it."""
    site = SITES / "vastervik"
    for path in sorted((site / "expected").glob("*.json")) if site.is_dir() else []:
        expected = json.loads(path.read_text(encoding="utf-8"))
        if expected["title"] == SEED_TITLE:
            if (SEED / "expected.json").is_file():  # outside the repo: checked when present
                seed = json.loads((SEED / "expected.json").read_text(encoding="utf-8"))
                assert _collapse(seed["body"]) == _collapse(expected["body"])
            return expected, expected["path"], release_html(site, expected["path"])
    pytest.skip("seed release not among the fixtures")


def test_seed_page_without_template() -> None:
    expected, path, html = _seed_release()
    release = extract_release(html, BASE + path)
    assert release.title == expected["title"]
    assert release.kind == expected["kind"]
    assert release.published == expected["published"]
    assert _collapse(release.body) == _collapse(expected["body"])
    assert [i.alt for i in release.images] == [i["alt"] for i in expected["images"]]
    assert release.language == "sv"


def test_body_text_of_seed_page_is_the_body() -> None:
    expected, path, html = _seed_release()
    text = _collapse(body_text(html, BASE + path))
    assert _collapse(expected["body"]) in text
    for line in ("Kontakta kommunikatörerna", "Ansvarig nämnd", "Vi använder kakor"):
        assert line not in text


# --------------------------------------------------------------------------
# Small synthetic pages (tests/release_page.py): one behaviour each


def test_lead_is_taken_out_of_the_body() -> None:
    lead = "Ekås får en ny förskola med plats för 120 barn."
    release = extract_release(
        release_page(after=f'<p class="ingress">{lead}</p>' + PARAGRAPHS), "u:"
    )
    assert release.lead == lead
    assert lead not in release.body
    assert release.body.startswith("Kommunfullmäktige beslutade")


def test_body_paragraphs_headings_lists_quotes_and_br() -> None:
    after = (
        PARAGRAPHS + "<h2>Så går det till</h2><ul><li>Ansök i e-tjänsten.</li>"
        "<li>Vänta på besked.</li></ul><blockquote>Ett citat om förskolan.</blockquote>"
        "<p>Första raden<br>andra raden.</p>"
    )
    release = extract_release(release_page(after=after), "https://ekas.se/a/")
    paragraphs = release.body.split("\n\n")
    assert "Så går det till" in paragraphs
    assert "Ansök i e-tjänsten." in paragraphs
    assert "Ett citat om förskolan." in paragraphs
    assert "Första raden andra raden." in paragraphs


def test_generic_furniture_never_reaches_the_body() -> None:
    after = (
        '<div class="breadcrumbs"><a href="/">Start</a> / <a href="/n/">Nyheter</a></div>'
        + PARAGRAPHS
        + '<div class="share"><a href="#">Dela på Facebook</a> <a href="#">Twitter</a></div>'
        '<div class="sv-contact2-portlet"><h3>Anna Berg</h3><p>Kommunikatör, 0123-456 79</p></div>'
        '<p hidden>Dold text</p><p style="display: none">Också dold</p>'
        "<form><p>Det här formuläret går till kommunens brevlåda.</p></form>"
    )
    body = extract_release(release_page(after=after), "https://ekas.se/a/").body
    assert body.startswith("Kommunfullmäktige") and body.endswith("de senaste åren.")


def test_repeated_blocks_are_learned_and_minority_repeats_kept() -> None:
    contact = '<div class="box"><h2>Kontakta kommunikatörerna</h2><p>{}</p></div>'
    press = "<p>För mer information, kontakta Anna Berg, 0123-456 79.</p>"
    pages = []
    for n in range(10):
        person = "Per Ek, kommunikatör" if n < 4 else "Eva Al, kommunikatör"
        body = f"<p>Nyhet nummer {n} handlar om ämne {'abcdefghij'[n]} i Ekås kommun idag.</p>"
        body += press if n < 2 else ""
        pages.append(
            (
                f"https://ekas.se/n/{n}/",
                release_page(title=f"Nyhet {n}", before=contact.format(person), after=body),
            )
        )
    template = learn_template("ekas", pages, now=NOW)
    new_page = release_page(
        title="Nyhet ny", before=contact.format("Ola Ny, kommunikatör"), after=PARAGRAPHS + press
    )
    release = extract_release(new_page, "https://ekas.se/n/ny/", template=template)
    assert "Kontakta kommunikatörerna" not in release.body
    assert "Ola Ny" not in release.body
    assert release.body.endswith(press[3:-4])


def test_source_overrides_are_applied() -> None:
    after = PARAGRAPHS + '<div class="odd"><p>Udda ruta som ska bort.</p></div>'
    html = release_page(after=after, before='<span class="pub">2021-05-04</span>')
    source = Source(
        id="ekas", name="Ekås", url="https://ekas.se/", body_selector="main .page",
        drop_selectors=(".odd",), date_selector=".pub",
    )  # fmt: skip
    release = extract_release(html, "https://ekas.se/a/", source=source)
    assert "Udda ruta" not in release.body
    assert release.body.startswith("Kommunfullmäktige")
    assert (release.published, release.published_source) == ("2021-05-04", "override")
    missing = Source(id="e", name="E", url="https://ekas.se/", body_selector="#nope")
    with pytest.raises(ExtractError) as info:
        extract_release(html, "https://ekas.se/a/", source=missing)
    assert info.value.selector == "#nope"


def test_page_without_a_title_is_an_extract_error() -> None:
    with pytest.raises(ExtractError):
        extract_release("<html><body><nav><a href='/'>Start</a></nav></body></html>", "u:")
    with pytest.raises(ExtractError) as info:
        extract_release("<html><body><div><<<p>>>\x00</div", "https://e.se/trasig")
    assert info.value.url == "https://e.se/trasig"


def test_language_from_html_lang_else_guessed() -> None:
    assert extract_release(release_page(), "https://ekas.se/a/").language == "sv"
    english = PAGE.format(
        title="New preschool", before="", head="", lang="",
        after="<p>The council decided on Monday that the town will build a new preschool "
        "and that it is to be ready for the children by the summer of next year.</p>",
    )  # fmt: skip
    assert extract_release(english, "https://ekas.se/a/").language == "en"


def test_extractor_version_is_set() -> None:
    assert EXTRACTOR_VERSION


NEWSROOM = """<!DOCTYPE html><html lang="sv"><head>
<title>Ny simhall invigs i maj | Ekås kommun</title></head><body>
<a class="skip" href="#main">Gå direkt till innehåll</a><header class="newsroom-header">
<div>Ekås kommun</div><ul><li><a href="/">Nyheter</a></li></ul></header>
<main id="main"><article class="panel">
<div class="material-header"><span class="material-type">Pressmeddelande</span>
<span class="material-date">28 februari 2020 09:15</span></div>
<h1 class="material-title">Ny simhall invigs i maj</h1>
<div class="summary"><p>Den nya simhallen i Ekås står klar och invigs den 15 maj.</p></div>
<figure><img src="/img/simhall.jpg" alt="Simhallen"><figcaption>Simhallen. Foto: Per Ek</figcaption>
</figure><div class="body">{body}</div>
<div class="tags"><h3>Ämnen</h3><ul><li><a href="/t/1">Fritid</a></li>
<li><a href="/t/2">Idrott</a></li></ul></div>
<div class="boilerplate"><p>Ekås kommun är en växande kommun i norra Småland med 14 000
invånare, med närhet till både natur och service.</p></div>
<div class="contacts"><h3>Kontakter</h3><p>Anna Berg</p><p>Presskontakt</p>
<p><a href="tel:0123">0123-45 67 89</a></p></div></article></main></body></html>"""

OLD_SITE = """<html><head><title>Ekby kommun - Ny förskola i Backa</title></head><body>
<table><tr><td><img src="/bilder/logo.gif" alt="Ekby kommun"></td></tr><tr>
<td class="v"><a href="/">Startsida</a><br><a href="/nyheter/">Nyheter</a></td><td>
<p class="datum">8 juni 2015</p><font size="4"><b>Ny förskola i Backa</b></font><br><br>
<img src="/bilder/backa.jpg" alt="Barn leker på gården"><br>Barn leker på gården<br><br>
{body}<p><a href="/tipsa?s=1">Skicka ett tips om sidan till någon</a></p></td></tr></table>
</body></html>"""


def test_newsroom_page_without_site_knowledge() -> None:
    release = extract_release(NEWSROOM.format(body=PARAGRAPHS), "https://ekas.example/pr/1")
    assert release.title == "Ny simhall invigs i maj"
    assert (release.kind, release.published) == ("Pressmeddelande", "2020-02-28T09:15")
    assert release.lead == "Den nya simhallen i Ekås står klar och invigs den 15 maj."
    assert _collapse(release.body) == _collapse(
        PARAGRAPHS.replace("</p><p>", " ").replace("<p>", "").replace("</p>", "")
    )
    assert [(i.alt, i.caption) for i in release.images] == [
        ("Simhallen", "Simhallen. Foto: Per Ek")
    ]


def test_old_table_site_with_date_before_title_and_doubled_caption() -> None:
    body = PARAGRAPHS.replace("<p>", "").replace("</p>", "<br><br>")
    release = extract_release(OLD_SITE.format(body=body), "https://ekby.example/n/backa.html")
    assert release.title == "Ny förskola i Backa"
    assert release.published == "2015-06-08"
    assert release.body.startswith("Kommunfullmäktige beslutade")
    assert release.body.endswith("de senaste åren.")
    assert [(i.alt, i.caption) for i in release.images] == [
        ("Barn leker på gården", "Barn leker på gården")
    ]


DRUPAL = """<!DOCTYPE html><html lang="sv"><head><title>Ny simhall | Ekås kommun</title></head>
<body><main><div class="region region-content">
<div class="block-page-title-block"><h1 class="page-title"><span>Ny simhall</span></h1></div>
<article class="node node--type-news node--promoted node--view-mode-full">
<div class="node__content">
<div class="field field--name-field-ingress field--type-text-long"><p>{lead}</p></div>
<div class="field field--name-field-image field--type-image"><img src="/bad.jpg" width="480"
alt="Bassängen"></div>
<div class="field field--name-body field--type-text-with-summary">{body}</div>
<div class="field field--name-field-attachments field--type-file field--label-above">
<div class="field__label">Bilagor</div><div class="field__items"><span class="file">
<a href="/plan.pdf">Plan för den nya simhallen</a></span> <span>(845 KB)</span></div></div>
</div></article></div></main></body></html>"""


def test_drupal_promoted_node_keeps_its_lead_image_and_body() -> None:
    """node--promoted is a state, field--type-text-with-summary a storage type: no evidence."""
    lead = "Ekås bygger en ny simhall vid skolan."
    release = extract_release(
        DRUPAL.format(lead=lead, body=PARAGRAPHS), "https://ekas.example/nyheter/simhall"
    )
    assert release.lead == lead
    assert release.body.startswith("Kommunfullmäktige") and "Bilagor" not in release.body
    assert [i.alt for i in release.images] == ["Bassängen"]


def test_quote_figure_and_its_speaker_are_body() -> None:
    quote = (
        '<figure class="quote"><blockquote><p>Vi satsar på de yngsta barnen.</p></blockquote>'
        '<figcaption class="quote__author">Anna Berg, ordförande</figcaption></figure>'
    )
    release = extract_release(release_page(after=PARAGRAPHS + quote), "https://ekas.se/a/")
    assert release.body.endswith("Vi satsar på de yngsta barnen.\n\nAnna Berg, ordförande")


SWEDISH_TEXT = (
    "<p>Kommunen har beslutat att den nya förskolan ska byggas i centrum och att den ska "
    "vara klar till hösten. Det är en satsning som har efterfrågats av många familjer, och "
    "den kommer att ge plats för fler barn. Bygget startar efter sommaren.</p>"
)
ENGLISH_TEXT = (
    "<p>The council decided on Monday that the town will build a new preschool and that it "
    "is to be ready for the children by the summer. This is the first of the projects that "
    "have been planned for the centre, and it will be paid for with a loan.</p>"
)


def _page(lang: str, text: str) -> str:
    return PAGE.format(title="Förskola", before="", head="", lang=lang, after=text)


def test_clear_text_overrides_a_declared_swedish_or_english() -> None:
    """A newsroom platform says lang="en" around Swedish releases (and the other way)."""
    assert extract_release(_page("en", SWEDISH_TEXT), "https://e.se/a").language == "sv"
    assert extract_release(_page("sv-SE", ENGLISH_TEXT), "https://e.se/a").language == "en"
    assert extract_release(_page("en", ENGLISH_TEXT), "https://e.se/a").language == "en"
    # Too little text to overrule the page, and a language the guess cannot tell.
    short = "<p>Bygget startar i höst och det är klart 2026.</p>"
    assert extract_release(_page("en", short), "https://e.se/a").language == "en"
    norwegian = SWEDISH_TEXT.replace("och", "og").replace("är", "er")
    assert extract_release(_page("nb", norwegian), "https://e.se/a").language == "nb"
