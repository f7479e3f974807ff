# ruff: noqa: E501  (inline HTML fixtures keep their real line lengths)
"""Release links: what is and is not a release on an HTML listing page."""

from __future__ import annotations

from scraper.discover.links import find_release_links

# --------------------------------------------------------------------------
# Release links: what is and is not a release


def test_furniture_and_non_release_links_are_ignored() -> None:
    html = """<html><body>
    <nav><a href="/nyheter/menylank-som-ser-ut-som-nyhet/">En lång menylänk med många ord</a></nav>
    <main><h1>Nyheter</h1>
     <ul>
      <li><a href="/nyheter/ny-skola/">Ny skola byggs i centrum</a> <span>2022-01-10</span></li>
      <li><a href="/nyheter/vattenlacka/#kommentarer">Vattenläcka i norra delen</a> <span>2022-01-05</span></li>
      <li><a href="/nyheter/ny-skola/">Ny skola byggs i centrum</a></li>
      <li><a href="/dokument/budget.pdf">Budget 2022 (pdf)</a> <span>2022-01-04</span></li>
      <li><a href="/nyheter/kategori/skola/">Fler om skola</a> <span>2022-01-03</span></li>
      <li><a href="/nyheter/?page=2">Sida två av nyheterna</a> <span>2022-01-02</span></li>
      <li><a href="https://annan.se/nyheter/extern/">Extern nyhet på annan sajt</a> <span>2022-01-01</span></li>
      <li><a href="mailto:info@x.se">Mejla oss om nyheterna</a> <span>2022-01-01</span></li>
      <li><a href="/">Tillbaka till startsidan</a> <span>2022-01-01</span></li>
     </ul>
    </main>
    <div class="breadcrumbs"><a href="/nyheter/gammal/">Gammal nyhet i brödsmulan</a></div>
    <footer><a href="/nyheter/sidfot-nyhet/">Nyhet länkad i sidfoten</a> 2022-01-01</footer>
    </body></html>"""
    entries = find_release_links(html, "https://x.se/nyheter/")
    assert [e.url for e in entries] == [
        "https://x.se/nyheter/ny-skola/",
        "https://x.se/nyheter/vattenlacka/",
    ]


def test_undated_list_under_the_listing_path() -> None:
    items = "".join(
        f'<div class="item"><h3><a href="/press/meddelande-{i}/">Meddelande nummer {i}</a></h3></div>'
        for i in range(4)
    )
    html = f'<html><body><div class="sidebar"><a href="/om/">Om oss</a></div><div id="main">{items}</div></body></html>'
    entries = find_release_links(html, "https://x.se/press/")
    assert [e.url for e in entries] == [f"https://x.se/press/meddelande-{i}/" for i in range(4)]
    assert entries[0].title == "Meddelande nummer 0"
    assert entries[0].published is None


def test_single_item_on_last_page_gets_its_own_date() -> None:
    html = """<html><body><main><h1>Pressmeddelanden</h1><p>Uppdaterad 2024-06-01</p>
    <div class="list"><div class="entry"><p class="meta">Pressinbjudan · 3 mars 2019</p>
    <h2><a href="/press/spadtag-simhall/">Spadtag för den nya simhallen</a></h2></div></div>
    <div class="pages"><a href="/press/?page=2">Föregående</a></div></main></body></html>"""
    (entry,) = find_release_links(html, "https://x.se/press/?page=3")
    assert entry.published == "2019-03-03"
    assert entry.kind == "Pressinbjudan"


def test_layout_wrappers_and_item_headers_are_not_furniture() -> None:
    items = "".join(
        f'<div class="news-item"><div class="news-item-header"><h2>'
        f'<a href="/aktuellt/nyhet-{i}/">Aktuell nyhet nummer {i}</a></h2></div>'
        f'<div class="news-item-footer">1{i} maj 2021</div></div>'
        for i in range(3)
    )
    html = (
        '<html><body><div class="page has-sidebar no-menu"><div class="site-header">'
        '<a href="/aktuellt/reklam/">Reklam i sidhuvudet med lång text</a></div>'
        f"<div class='c-grid c-grid--sidebar'><div class='c-grid__main'>{items}</div>"
        "<div class='c-grid__sidebar'><a href='/aktuellt/nyhet-9/'>Aktuell nyhet nummer 9</a> "
        "1 maj 2021</div></div></div></body></html>"
    )
    entries = find_release_links(html, "https://x.se/aktuellt/")
    assert [e.url for e in entries] == [f"https://x.se/aktuellt/nyhet-{i}/" for i in range(3)]
    assert entries[2].published == "2021-05-12"


def test_dated_box_outside_the_listing_path_is_left_out() -> None:
    items = "".join(
        f'<li><a href="/press/meddelande-{i}/">Pressmeddelande nummer {i}</a> 2022-0{i + 1}-01</li>'
        for i in range(4)
    )
    popular = "".join(
        f'<p class="popular"><a href="/evenemang/konsert-{i}/">Konsert i parken nummer {i}</a>'
        f" 2022-06-0{i + 1}</p>"
        for i in range(2)
    )
    html = f"<html><body><main><ul>{items}</ul><div>{popular}</div></main></body></html>"
    entries = find_release_links(html, "https://x.se/press/")
    assert [e.url.rsplit("/", 2)[-2] for e in entries] == [f"meddelande-{i}" for i in range(4)]


def test_undated_links_under_the_listing_path_beside_a_dated_list() -> None:
    html = """<html><body><main><h1>Press</h1>
    <p>Här finns <a href="/press/pressbilder/">pressbilder att ladda ned fritt</a> och
    <a href="/press/presskontakter/">alla våra presskontakter på ett ställe</a>.</p>
    <ul><li><a href="/press/ny-skola/">Ny skola byggs i centrum</a> 2022-01-10</li>
    <li><a href="/press/brandrisk/">Brandrisken är stor i hela länet</a> 2022-01-05</li></ul>
    </main></body></html>"""
    entries = find_release_links(html, "https://x.se/press/")
    assert [e.url for e in entries] == [
        "https://x.se/press/ny-skola/",
        "https://x.se/press/brandrisk/",
    ]


def test_kind_label_is_a_label_not_a_sentence() -> None:
    html = """<html><body><main><ul>
    <li><a href="/n/a/">Bygget av den nya skolan startar</a><p>Nyheter i sommar för alla barn</p><p>2021-05-01</p></li>
    <li><a href="/n/b/">Nytt bibliotek öppnar i centrum</a><p>Pressmeddelande · 3 mars 2021</p></li>
    <li><a href="/n/c/">Pressinbjudan – Spadtag för simhallen</a><p>2021-02-01</p></li>
    </ul></main></body></html>"""
    entries = find_release_links(html, "https://x.se/n/")
    assert [e.kind for e in entries] == [None, "Pressmeddelande", "Pressinbjudan"]


def test_definition_list_date_before_the_item() -> None:
    items = "".join(
        f'<dt>2019-0{i}-15</dt><dd><a href="/arkiv/sak-{i}/">Kommunfullmäktige beslutade om sak {i}</a></dd>'
        for i in range(1, 4)
    )
    html = f"<html><body><div id='content'><dl>{items}</dl></div></body></html>"
    entries = find_release_links(html, "https://x.se/nyheter/")
    assert [e.published for e in entries] == ["2019-01-15", "2019-02-15", "2019-03-15"]


def test_flat_list_takes_the_date_after_each_heading() -> None:
    html = """<html><body><main><h1>Nyheter</h1>
    <h3><a href="/nyheter/a/">Första nyheten om vägarbete</a></h3><p>2021-06-01</p><p>Vägen stängs.</p>
    <h3><a href="/nyheter/b/">Andra nyheten om badplatser</a></h3><p>Badplatserna öppnar.</p>
    <h3><a href="/nyheter/c/">Tredje nyheten om biblioteket</a></h3><p class="date">2021-04-01</p>
    </main></body></html>"""
    entries = find_release_links(html, "https://x.se/nyheter/")
    assert [e.published for e in entries] == ["2021-06-01", None, "2021-04-01"]


def test_published_label_wins_over_an_earlier_updated_date() -> None:
    html = """<html><body><main><ul>
    <li><h3><a href="/n/a/">Nyhet A om bygget</a></h3><p>Uppdaterad 2021-05-01 · Publicerad 2021-04-01</p></li>
    <li><h3><a href="/n/b/">Nyhet B om bygget</a></h3><p>Publicerad 2021-03-01</p></li></ul></main></body></html>"""
    entries = find_release_links(html, "https://x.se/n/")
    assert [e.published for e in entries] == ["2021-04-01", "2021-03-01"]


def test_date_in_url_counts_as_evidence() -> None:
    items = "".join(
        f'<p><a href="/2020/0{i}/1{i}/slug-{i}/">Rubrik på nyheten nummer {i}</a></p>'
        for i in range(1, 4)
    )
    html = f"<html><body><div>{items}</div><div><a href='/kontakt/'>Kontakt</a></div></body></html>"
    entries = find_release_links(html, "https://x.se/blogg/")
    assert len(entries) == 3
