"""Short releases on three CMS layouts, with the furniture that used to become their body.

Each layout (Sitevision, Episerver/Optimizely, WordPress) carries a cookie
banner, a "Kontakta oss" contact form with a "Skicka" button, a "Så behandlar
vi dina personuppgifter" notice and a footer around a release whose body is
one or two sentences, or nothing at all. ``CASES`` holds each page with the
body expected of it, written by hand before the extractor ever ran on it.
"""

from __future__ import annotations

from dataclasses import dataclass

COOKIE_SV = (
    "Vi använder kakor (cookies) för att webbplatsen ska fungera på ett bra sätt för dig och för "
    "att förstå hur den används. Nödvändiga kakor krävs för att sidorna ska fungera. Du väljer "
    "själv om du godkänner kakor för statistik."
)
GDPR_SV = (
    "När du skickar in formuläret behandlar Ekås kommun dina personuppgifter för att kunna "
    "besvara ditt meddelande. Uppgifterna sparas i högst två år och lämnas inte ut till någon "
    "annan. Du har rätt att begära ut, rätta eller radera dina uppgifter. Kommunstyrelsen är "
    "personuppgiftsansvarig och du når vårt dataskyddsombud på dataskydd@ekas.se."
)
FOOTER_SV = (
    "<p>Ekås kommun, 123 45 Ekås</p><p>Telefon: 0123-456 00</p>"
    "<p>E-post: kommunen@ekas.se</p><p>Organisationsnummer 212000-0000</p>"
)

SITEVISION = """<!DOCTYPE html>
<html lang="sv" class="sv-no-js"><head><meta charset="utf-8">
<title>{title} - Ekås kommun</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="Ekås kommun">
</head><body>
<div id="svid10_cookie" class="sv-cookie-consent-banner sv-portlet" role="dialog">
<div class="env-cookie-consent"><p class="normal">{cookie}</p>
<button class="env-button">Godkänn alla kakor</button>
<button class="env-button">Endast nödvändiga</button>
</div></div>
<div class="sv-layout" id="svid10_page">
<div class="sv-layout header" id="svid94_header">
<a class="sv-skip-link" href="#Innehall">Gå direkt till innehåll</a>
<div class="sv-image-portlet"><a href="/"><img src="/images/logo.svg" alt="Ekås kommun startsida">
</a></div>
<div class="sv-menu-portlet sv-portlet"><ul class="env-nav">
<li><a href="/barn-och-utbildning.html">Barn och utbildning</a></li>
<li><a href="/bygga-bo-och-miljo.html">Bygga, bo och miljö</a></li>
<li><a href="/kommun-och-politik.html">Kommun och politik</a></li>
<li><a href="/nyheter.html">Nyheter och press</a></li></ul></div></div>
<main class="sv-layout" id="Innehall"><div class="sv-row"><div class="sv-column-8 sv-layout">
<div class="sv-text-portlet sv-use-margins" id="svid12_5f1a2b3c4d5e6f708192a3b4">
<div class="sv-text-portlet-content">
<h1 class="heading">{title}</h1></div></div>
<div class="sv-text-portlet sv-use-margins" id="svid12_6a1b2c3d4e5f60718293a4b5">
<div class="sv-text-portlet-content">
<p class="sv-font-datum">Publicerad {date}</p></div></div>
<div class="sv-text-portlet sv-use-margins" id="svid12_7b1c2d3e4f5061728394a5b6">
<div class="sv-text-portlet-content">
{body}</div></div>
<div class="sv-form-portlet sv-portlet" id="svid12_8c1d2e3f405162738495a6b7">
<h2 class="subheading">Kontakta oss</h2>
<form method="post" action="/kontakta-oss"><label for="namn">Namn</label>
<input id="namn" name="namn">
<label for="epost">E-post</label><input id="epost" name="epost">
<label for="meddelande">Ditt meddelande</label><textarea id="meddelande"></textarea>
<p class="normal">Fält markerade med * är obligatoriska.</p>
<button type="submit" class="env-button">Skicka</button></form></div>
<div class="sv-text-portlet sv-use-margins" id="svid12_9d1e2f30415263748596a7b8">
<div class="sv-text-portlet-content">
<h2 class="subheading">Så behandlar vi dina personuppgifter</h2>
<p class="normal">{gdpr}</p></div></div>
</div></div></main>
<div class="sv-layout footer" id="svid94_footer">{footer}
<p><a href="/om-webbplatsen/kakor.html">Om kakor</a> | <a
href="/tillganglighet.html">Tillgänglighetsredogörelse</a></p>
</div></div></body></html>"""

EPISERVER = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>{title} | Ekås kommun</title>
<meta name="DC.Date" content="{iso}"></head>
<body><form method="post" action="/nyheter/{slug}/" id="aspnetForm">
<div class="aspNetHidden"><input type="hidden" name="__VIEWSTATE" value="abc"></div>
<div id="cookie-consent" class="cookie-consent-overlay"><div class="cookie-consent__inner">
<h2>Kakor på ekas.se</h2><p>{cookie}</p>
<a class="btn" href="#">Jag förstår</a> <a href="/om-webbplatsen/kakor/">Läs mer om kakor</a>
</div></div>
<div id="header" class="site-header"><a class="skip" href="#main-content">Till huvudinnehåll</a>
<ul class="main-menu"><li><a href="/omsorg/">Omsorg och hjälp</a></li>
<li><a href="/trafik/">Trafik och infrastruktur</a></li><li><a href="/nyheter/">Nyheter</a></li>
</ul>
<div class="search-box"><input type="text" name="q"><input type="submit" value="Sök"></div></div>
<div id="main-content" class="content-area"><div class="breadcrumbs"><a href="/">Start</a> /
<a href="/nyheter/">Nyheter</a></div>
<div class="main-column"><div class="news-page">
<h1>{title}</h1>
<p class="news-date">Publicerad: {date}</p>
<div class="news-page__body">{body}</div>
</div>
<div class="block contact-form-block"><h2>Kontakta oss</h2>
<div class="form-row"><label>Namn</label><input type="text" name="name"></div>
<div class="form-row"><label>E-postadress</label><input type="text" name="email"></div>
<div class="form-row"><label>Meddelande</label><textarea name="message"></textarea></div>
<input type="submit" value="Skicka" class="btn">
<div class="personal-data-info"><h3>Så behandlar vi dina personuppgifter</h3><p>{gdpr}</p></div>
</div></div>
<div class="page-info"><p>Sidan senast uppdaterad: {date}</p></div>
</div>
<div id="footer" class="site-footer">{footer}</div>
</form></body></html>"""

WORDPRESS = """<!DOCTYPE html>
<html lang="sv-SE"><head><meta charset="UTF-8"><title>{title} &#8211; Ekås kommun</title>
<meta property="article:published_time" content="{iso}T08:30:00+01:00">
<link rel="canonical" href="https://ekas.example/{slug}/"></head>
<body class="post-template-default single single-post postid-123 single-format-standard">
<div id="cookie-notice" role="dialog" class="cookie-notice-hidden">
<div class="cookie-notice-container">
<span id="cn-notice-text" class="cn-text-container">{cookie}</span>
<a href="#" id="cn-accept-cookie" class="cn-button">Ok</a></div></div>
<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#content">Hoppa till innehåll</a>
<header id="masthead" class="site-header"><p class="site-title"><a href="/">Ekås kommun</a></p>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">
<li><a href="/kultur/">Kultur och fritid</a></li><li><a href="/nyheter/">Nyheter</a></li></ul>
</nav></header>
<div id="content" class="site-content"><div id="primary" class="content-area">
<main id="main" class="site-main">
<article id="post-123" class="post-123 post type-post status-publish format-standard hentry
category-pressmeddelanden">
<header class="entry-header"><h1 class="entry-title">{title}</h1>
<div class="entry-meta">
<span class="posted-on">Publicerad <time class="entry-date published"
datetime="{iso}T08:30:00+01:00">{date}</time></span></div>
</header>
<div class="entry-content">{body}</div>
<footer class="entry-footer">
<span class="cat-links">Kategori: <a href="/category/pressmeddelanden/" rel="category
tag">Pressmeddelanden</a></span></footer>
</article>
<div class="wp-block-group kontakta-oss"><h2 class="wp-block-heading">Kontakta oss</h2>
<div class="wpcf7"><form action="/{slug}/#wpcf7-f5-o1" method="post" class="wpcf7-form">
<p><label>Ditt namn<br><input type="text" name="your-name"></label></p>
<p><label>Din e-post<br><input type="email" name="your-email"></label></p>
<p><label>Meddelande<br><textarea name="your-message"></textarea></label></p>
<p><input type="submit" value="Skicka" class="wpcf7-submit"></p></form></div>
<h3 class="wp-block-heading">Så behandlar vi dina personuppgifter</h3><p>{gdpr}</p></div>
</main></div>
<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries">
<h2>Senaste nyheterna</h2>
<ul><li><a href="/annan-nyhet/">Ny cykelväg mellan Ekås och Backa</a></li></ul></section></aside>
</div>
<footer id="colophon" class="site-footer"><div class="site-info">{footer}</div></footer>
</div></body></html>"""


@dataclass(frozen=True)
class Case:
    """A short release page and what the extractor must make of it."""

    name: str
    html: str
    url: str
    title: str
    published: str
    #: The body, written by hand: the release's own text, nothing around it.
    body: str


def _page(layout: str, *, title: str, date: str, iso: str, slug: str, body: str) -> str:
    return layout.format(
        title=title, date=date, iso=iso, slug=slug, body=body, cookie=COOKIE_SV,
        gdpr=GDPR_SV, footer=FOOTER_SV,
    )  # fmt: skip


INVITATION = "Pressinbjudan: Första spadtaget för nya Lövnässkolan"
INVITATION_TEXT = (
    "Media är välkomna när kommunstyrelsens ordförande Eva Lind tar det första spadtaget "
    "för nya Lövnässkolan torsdag den 20 mars klockan 10.00."
)
WATER = "Vattnet stängs av på Storgatan"
WATER_TEXT = (
    "På onsdag den 6 november stängs vattnet av på Storgatan 1–15 mellan klockan 9 och 14.",
    "Vi ber om ursäkt för besväret.",
)
PLAYGROUND = "Pressinbjudan: Nya lekplatsen i Ekåsparken invigs"
PLAYGROUND_TEXT = "Välkommen till invigningen av den nya lekplatsen i Ekåsparken lördag den 10 maj."
MEETING = "Kommunfullmäktige sammanträder den 24 april"

CASES: tuple[Case, ...] = (
    Case(
        "sitevision, one line",
        _page(SITEVISION, title=INVITATION, date="12 mars 2025", iso="2025-03-12",
              slug="spadtag", body=f'<p class="normal">{INVITATION_TEXT}</p>'),
        "https://www.ekas.example/nyheter/2025/spadtag.html",
        INVITATION,
        "2025-03-12",
        INVITATION_TEXT,
    ),
    Case(
        "sitevision, two lines",
        _page(SITEVISION, title=WATER, date="5 november 2024", iso="2024-11-05",
              slug="vatten", body="".join(f'<p class="normal">{t}</p>' for t in WATER_TEXT)),
        "https://www.ekas.example/nyheter/2024/vatten.html",
        WATER,
        "2024-11-05",
        "\n\n".join(WATER_TEXT),
    ),
    Case(
        "sitevision, no body",
        _page(SITEVISION, title=MEETING, date="17 april 2025", iso="2025-04-17",
              slug="kf", body=""),
        "https://www.ekas.example/nyheter/2025/kf.html",
        MEETING,
        "2025-04-17",
        "",
    ),
    Case(
        "episerver, one line",
        _page(EPISERVER, title=INVITATION, date="2025-03-12", iso="2025-03-12",
              slug="spadtag", body=f"<p>{INVITATION_TEXT}</p>"),
        "https://www.ekas.example/nyheter/spadtag/",
        INVITATION,
        "2025-03-12",
        INVITATION_TEXT,
    ),
    Case(
        "episerver, two lines",
        _page(EPISERVER, title=WATER, date="2024-11-05", iso="2024-11-05", slug="vatten",
              body="".join(f"<p>{t}</p>" for t in WATER_TEXT)),
        "https://www.ekas.example/nyheter/vatten/",
        WATER,
        "2024-11-05",
        "\n\n".join(WATER_TEXT),
    ),
    Case(
        "episerver, no body",
        _page(EPISERVER, title=MEETING, date="2025-04-17", iso="2025-04-17", slug="kf",
              body=""),
        "https://www.ekas.example/nyheter/kf/",
        MEETING,
        "2025-04-17",
        "",
    ),
    Case(
        "wordpress, one line",
        _page(WORDPRESS, title=PLAYGROUND, date="2 maj 2025", iso="2025-05-02",
              slug="lekplats", body=f"<p>{PLAYGROUND_TEXT}</p>"),
        "https://ekas.example/lekplats/",
        PLAYGROUND,
        "2025-05-02T08:30:00+01:00",
        PLAYGROUND_TEXT,
    ),
    Case(
        "wordpress, two lines",
        _page(WORDPRESS, title=WATER, date="5 november 2024", iso="2024-11-05", slug="vatten",
              body=f"<p>{WATER_TEXT[0]}<br>{WATER_TEXT[1]}</p>"),
        "https://ekas.example/vatten/",
        WATER,
        "2024-11-05T08:30:00+01:00",
        " ".join(WATER_TEXT),
    ),
    Case(
        "wordpress, no body",
        _page(WORDPRESS, title=MEETING, date="17 april 2025", iso="2025-04-17", slug="kf",
              body=""),
        "https://ekas.example/kf/",
        MEETING,
        "2025-04-17T08:30:00+01:00",
        "",
    ),
)  # fmt: skip
