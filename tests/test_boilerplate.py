"""Choosing the release's blocks by generic evidence (extract.boilerplate.select_content)."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from scraper.extract import blocks
from scraper.extract.blocks import FURNITURE, NEGATIVE, join_blocks, segment_page
from scraper.extract.boilerplate import overrule_hints, select_content

ARTICLE = (
    "<p>Kommunen bygger en ny simhall vid Lövnäs skola. Bygget startar i augusti och "
    "hallen ska vara klar hösten 2027, med en 25-metersbassäng och en undervisningsbassäng.</p>"
    "<p>– Det här är en efterlängtad satsning för både skolan och föreningslivet, säger "
    "kommunstyrelsens ordförande Eva Lind. Simkunnigheten bland barnen har minskat.</p>"
    "<p>Kostnaden beräknas till 180 miljoner kronor och finansieras med lån.</p>"
)


def _text(html: str) -> str:
    seg = segment_page(LexborHTMLParser(html))
    return "\n".join(seg.blocks[i].text for i in select_content(seg).kept)


def test_main_container_beats_sidebar_and_teasers() -> None:
    teasers = "".join(
        f'<div class="card"><h3><a href="/n/{n}">Annan nyhet {n} med lång rubrik här</a></h3>'
        f"<p>Ingress till en annan nyhet som handlar om något helt annat, nummer {n}.</p></div>"
        for n in range(6)
    )
    html = (
        f'<body><div class="page"><div class="main">{ARTICLE}</div>'
        f'<div class="latest">{teasers}</div></div></body>'
    )
    text = _text(html)
    assert text.startswith("Kommunen bygger") and text.endswith("finansieras med lån.")


def test_furniture_inside_the_main_column_is_dropped() -> None:
    html = (
        '<body><div class="article"><h1>Rubrik</h1>'
        '<div class="sidebar"><h2>Kontakt</h2><p>Anna Berg, kommunikatör, 0123-45 67 89. '
        "Ring gärna om du har frågor om kommunens verksamheter och om webbplatsen.</p></div>"
        f'<div class="editorial">{ARTICLE}</div>'
        '<p class="page-info">Sidan senast granskad 2024-01-02</p></div></body>'
    )
    text = _text(html)
    assert "Anna Berg" not in text and "Rubrik" not in text and "granskad" not in text
    assert text.startswith("Kommunen bygger")


def test_aspnet_form_around_the_whole_page_is_not_furniture() -> None:
    html = f'<body><form id="aspnetForm"><div class="x"><h1>R</h1>{ARTICLE}</div></form></body>'
    assert _text(html).startswith("Kommunen bygger")
    seg = segment_page(LexborHTMLParser(html))
    assert seg.own_flags[1] & FURNITURE


def test_heading_over_nothing_is_dropped() -> None:
    html = (
        f"<body><article>{ARTICLE}<h2>Mellanrubrik</h2><p>Mer text om simhallen och dess "
        'bassänger.</p><section><h2>Dokument</h2><ul><li><a href="/a.pdf">Beslut</a></li>'
        "</ul></section></article></body>"
    )
    text = _text(html)
    assert "Mellanrubrik" in text
    assert "Dokument" not in text


def test_text_split_over_sibling_portlets_is_one_text() -> None:
    """Sitevision puts each run of paragraphs in its own portlet; a contact card follows."""

    def portlet(inner: str) -> str:
        return (
            f'<div class="sv-text-portlet"><div class="sv-text-portlet-content">{inner}</div></div>'
        )

    cards = "".join(
        f'<div class="contact"><p class="contact-title">Person {n}</p>'
        f'<p class="contact-row">TELEFON <a href="tel:0123">0123-451 0{n}</a></p>'
        f'<p class="contact-row">E-POST <a href="mailto:p{n}@ekas.se">p{n}@ekas.se</a></p></div>'
        for n in range(4)
    )
    html = (
        f"<body><main><article>{portlet('<h1>Rubrik</h1>')}{portlet(ARTICLE)}"
        f"{portlet('<p>För mer information: Lars Nyberg, räddningschef, 0123-456 10</p>')}"
        f'<div class="lk-contacts">{cards}</div></article></main></body>'
    )
    text = _text(html)
    assert text.startswith("Kommunen bygger")
    assert text.endswith("För mer information: Lars Nyberg, räddningschef, 0123-456 10")
    assert "Person" not in text and "Rubrik" not in text


def test_sibling_without_a_paragraph_is_not_merged() -> None:
    """A dateline in a <div> of the same kind as the article's row is no text of it."""
    links = "".join(f'<li><a href="/n/{n}">Another story number {n}</a></li>' for n in range(5))
    html = (
        '<body><div class="story"><div class="row item"><div>Posted: Fri 6:45 PM, Feb 16, 2018'
        f'</div></div><div class="row item">{ARTICLE}</div><ul class="row">{links}</ul>'
        "</div></body>"
    )
    text = _text(html)
    assert "Posted" not in text and text.startswith("Kommunen bygger")


def test_table_in_a_figure_is_text_but_its_caption_is_not() -> None:
    """WordPress wraps tables in figure.wp-block-table."""
    table = (
        '<figure class="wp-block-table"><table><thead><tr><th>Nämnd</th><th>Ram, mnkr</th></tr>'
        "</thead><tbody><tr><td>Omsorgsnämnden</td><td>784</td></tr></tbody></table>"
        "<figcaption>Tabell: nämndernas ramar</figcaption></figure>"
    )
    image = (
        '<figure><img src="/a.jpg" alt="x"><figcaption>Simhallen. Foto: NN</figcaption></figure>'
    )
    seg = segment_page(LexborHTMLParser(f"<body><article>{ARTICLE}{table}{image}</article></body>"))
    kept = list(select_content(seg).kept)
    text = blocks.join_blocks(seg, kept)
    assert text.endswith("Nämnd Ram, mnkr\n\nOmsorgsnämnden 784")
    assert "Tabell:" not in text and "Foto" not in text


def test_contact_label_must_be_a_whole_word() -> None:
    sentence = (
        "<p>Kontakta kommunens bredbandssamordnare om du bor i ett område utan fiber: "
        "Tomas Lindgren, 0123-450 88.</p>"
    )
    assert _text(f"<body><div>{ARTICLE}{sentence}</div></body>").endswith("0123-450 88.")
    label = "<p>Kontakta kommunen Tel 0123-450 00, kommun@ekas.se</p>"
    assert _text(f"<body><div>{ARTICLE}{label}</div></body>").endswith("finansieras med lån.")


# --------------------------------------------------------------------------


def test_responsibility_block_with_contact_data_is_furniture() -> None:
    block = (
        '<div class="x">Ansvarig förvaltning<br>Kultur- och fritidsförvaltningen<br>'
        "Kulturhuset, Bruksgatan 2<br>643 80 Ekås<br>Tel 0151-190 00</div>"
    )
    text = _text(f"<body><div>{ARTICLE}{block}</div></body>")
    assert text.endswith("finansieras med lån.")
    sentence = "<p>Ansvarig nämnd för beslutet är kultur- och fritidsnämnden.</p>"
    assert _text(f"<body><div>{ARTICLE}{sentence}</div></body>").endswith("fritidsnämnden.")


def test_label_over_a_dropped_list_is_dropped() -> None:
    """A CMS field label ("Bilagor") whose files were all dropped names nothing."""
    files = (
        '<div class="field"><div class="field__label">Bilagor</div><div class="field__items">'
        '<a href="/plan.pdf">Plan för simhallen</a> (845 KB)</div></div>'
    )
    fact_box = '<div class="box"><div class="box-title">Fakta</div><p>Djup: 2,5 meter.</p></div>'
    text = _text(f"<body><article>{ARTICLE}{fact_box}{files}</article></body>")
    assert text.endswith("Fakta\nDjup: 2,5 meter.")
    assert "Bilagor" not in text


def test_about_the_organisation_inside_the_post_is_dropped() -> None:
    about = (
        '<section class="post__about"><h2>Om Lövnäs kommun</h2><p>Lövnäs kommun har '
        "12 000 invånare och ligger vid kusten mellan två större städer i länet.</p></section>"
    )
    text = _text(
        f'<body><article class="post"><div class="post__body">{ARTICLE}</div>{about}'
        "</article></body>"
    )
    assert text.endswith("finansieras med lån.")


# --------------------------------------------------------------------------
# Class and id hints match whole words, and never outweigh the page's own text
# ("Nothing lost, ever": the article inside div.pageprint, td.nav-new-1-pixel
# or #evolve-shared-mutable-history came out empty or as one section).

SERVICE = (
    '<div class="bottom"><p>Servicecenter svarar på frågor om alla kommunens verksamheter. '
    "Vi har öppet vardagar klockan 8 till 17 och finns i stadshuset vid torget.</p></div>"
)
MENU = "".join(
    f'<li><a href="/{n}/">{name}</a></li>'
    for n, name in enumerate(
        ("Barn och utbildning", "Bygga, bo och miljö", "Kommun och politik", "Kultur och fritid",
         "Näringsliv och arbete", "Omsorg och hjälp", "Trafik och infrastruktur", "Nyheter",
         "Evenemang", "Lediga jobb", "Kontakta oss", "Om webbplatsen", "Självservice",
         "Taxor och avgifter", "Synpunkter och klagomål", "Press och media")
    )
)  # fmt: skip
HEADLINE = "<h1>Ny simhall vid Lövnäs skola</h1>"


def _page_wrapped_in(open_tag: str, article: str = ARTICLE) -> str:
    """A site whose menu and article sit in one wrapper, its service box outside it."""
    return (
        f"<body>{open_tag}<ul class='level-1'>{MENU}</ul><div class='main'>{HEADLINE}"
        f"{article}</div></div>{SERVICE}</body>"
    )


def _body(html: str) -> str:
    seg = segment_page(LexborHTMLParser(html))
    return join_blocks(seg, list(select_content(seg).kept))


def test_print_in_a_compound_class_is_no_print_button() -> None:
    body = _body(_page_wrapped_in('<div class="pageprint">'))
    assert body.startswith("Kommunen bygger") and body.endswith("finansieras med lån.")


def test_shared_in_an_id_is_no_sharing_bar() -> None:
    """The article's second section sits in #evolve-shared-mutable-history: it is kept."""
    history = (
        '<div id="evolve-shared-mutable-history"><h2>Simhallens historia</h2><p>Den gamla '
        "simhallen byggdes 1968 och har renoverats två gånger. Den stängdes förra året.</p></div>"
    )
    body = _body(_page_wrapped_in("<div class='wrapper'>", ARTICLE + history))
    assert body.startswith("Kommunen bygger")
    assert body.endswith("Simhallens historia\n\nDen gamla simhallen byggdes 1968 och har "
                         "renoverats två gånger. Den stängdes förra året.")  # fmt: skip


def test_a_hint_never_outweighs_the_text_around_the_headline() -> None:
    """td.nav-new-1-pixel: "nav" is a word of it, yet the cell holds the headline and text."""
    html = (
        f"<body><table><tr><td class='nav-left'><ul>{MENU}</ul></td>"
        f"<td class='nav-new-1-pixel'>{HEADLINE}{ARTICLE}</td></tr></table>{SERVICE}</body>"
    )
    body = _body(html)
    assert body.startswith("Kommunen bygger") and body.endswith("finansieras med lån.")
    seg = segment_page(LexborHTMLParser(html))
    cell = seg.classes.index("nav-new-1-pixel")
    assert overrule_hints(seg) == {cell}
    assert not seg.own_flags[cell] & NEGATIVE
    assert seg.own_flags[seg.classes.index("nav-left")] & NEGATIVE


def test_hints_without_the_headline_and_the_text_stay() -> None:
    """A long notice beside a short release keeps its hint: it does not hold the headline."""
    notice = (
        '<div class="cookie-notice"><p>Vi använder kakor för att webbplatsen ska fungera och för '
        "att förstå hur den används. Genom att klicka på Godkänn samtycker du till det. "
        "Du kan när som helst ändra ditt val under Inställningar längst ned på sidan.</p>"
        "<p>Läs mer om hur vi behandlar dina personuppgifter och om vilka kakor vi använder "
        "på sidan om personuppgifter och dataskydd, där du också hittar kontaktuppgifter.</p></div>"
    )
    html = (
        f"<body>{notice}<div class='article'><h1>Pressträff om simhallen</h1>"
        "<p>Media bjuds in till en pressträff om simhallen på måndag klockan 10 i stadshuset.</p>"
        "</div></body>"
    )
    seg = segment_page(LexborHTMLParser(html))
    assert overrule_hints(seg) == frozenset()
    assert _body(html) == (
        "Media bjuds in till en pressträff om simhallen på måndag klockan 10 i stadshuset."
    )
    # A sharing bar in the article keeps its hint: it holds no text.
    shared = _page_wrapped_in("<div class='article'>").replace(
        "</div></div>", "<div class='share-buttons'><p>Dela</p></div></div></div>"
    )
    assert "Dela" not in _body(shared)
