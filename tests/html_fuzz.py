"""A seeded generator of random and broken HTML pages, for the extractor's fuzz test.

``random_page`` builds a valid-ish municipal page (head metadata, header, nav,
a release with headline, date, paragraphs, figures, tables, links, a contact
box, a footer) out of random tags, attributes and text; ``mutate`` breaks a
page the ways real pages and real networks break them: truncation, flipped
bytes (decoded as a fetcher would, into U+FFFD or lone surrogates), deleted
and duplicated ranges, processing instructions, CDATA, comments, NUL bytes,
deep nesting, huge attributes. Everything comes from the ``random.Random``
passed in: the same seed gives the same pages on every machine.
"""

from __future__ import annotations

import random

WORDS = (
    "kommunen", "förskola", "beslutade", "och", "att", "det", "som", "på", "är", "för",
    "nämnden", "fullmäktige", "Ekås", "Västervik", "skolan", "bygget", "invånare", "vägen",
    "måndagen", "hösten", "the", "council", "åäö", "ÅÄÖ", "naïve", "🙂", "1 200", "2026",
    "0123-456 78", "info@ekas.se", "https://ekas.se/x", "–", "»", "«", "\u00ad", "\u200b",
    "&amp;", "&nbsp;", "&lt;", "&#x0;", "&#xD800;", "&bogus;", "&#99999999;", "\t", "\r\n",
)  # fmt: skip

BLOCK_TAGS = (
    "div", "p", "section", "article", "main", "aside", "nav", "header", "footer", "ul", "ol",
    "li", "dl", "dt", "dd", "blockquote", "figure", "figcaption", "table", "tr", "td", "th",
    "h1", "h2", "h3", "h4", "form", "fieldset", "label", "details", "summary", "pre", "hr",
    "address", "center", "menu", "caption", "picture",
)  # fmt: skip
INLINE_TAGS = (
    "span", "a", "b", "i", "em", "strong", "small", "cite", "time", "font", "sup", "br",
    "img", "abbr", "code", "u", "mark", "q", "s", "wbr",
)  # fmt: skip
ODD_TAGS = (
    "x-card", "sv-portlet", "foo:bar", "blink", "marquee", "svg", "math", "template",
    "noscript", "script", "style", "iframe", "object", "select", "textarea", "button",
    "input", "frameset", "frame", "html", "body", "head", "title", "meta", "base", "link",
    "plaintext", "xmp", "image", "isindex", "keygen", "nobr", "ruby", "rt",
)  # fmt: skip

CLASS_WORDS = (
    "content", "article", "main", "body", "text", "nav", "navigation", "share", "share-buttons",
    "cookie", "cookie-banner", "consent", "print", "pageprint", "nav-new-1-pixel",
    "evolve-shared-mutable-history", "sv-text-portlet", "sv-portlet", "lead", "ingress",
    "preamble", "caption", "bildtext", "figure", "wp-block-image", "hidden", "sr-only",
    "d-none", "contact", "kontakt", "related", "puff", "teaser", "footer", "header",
    "breadcrumb", "date", "datum", "meta", "tags", "x", "", "  ", "a-b_c", "camelCaseWord",
    "ÅÄÖ", "9", "-", "__", "quote__author", "field--type-text-with-summary", "node--promoted",
)  # fmt: skip
HREFS = (
    "/", "#", "/nyheter/", "/a.pdf", "rapport.docx?x=1", "/tag/skola", "/kategori/nyheter/",
    "http://[::1", "http://[bad/x.pdf", "https://e.se:99999/", "javascript:void(0)",
    "mailto:a@b.se", "tel:0123", "//cdn.se/x.jpg", "data:image/png;base64,AAAA", "",
    "http://exa mple.se/", "https://ekas.se/a/../../b.pdf", "\x00.pdf", "%zz.pdf",
)  # fmt: skip
DATES = (
    "2020-02-28", "28 februari 2020", "2020-02-30", "28.2.2020 kl. 09.15",
    "Publicerad: 3 mars 2021", "2020-02-28T09:15:00+01:00", "2020-02-28T09:15+99:99",
    "99999-99-99", "Fri, 28 Feb 2020 09:15:00 +0100", "Fri, 99 Foo 2020 99:99:99 +9999",
    "1" * 60, "senast granskad 2020-02-28", "",
)  # fmt: skip


ATTRIBUTES = (
    "class", "class", "id", "role", "style", "hidden", "aria-hidden", "data-x", "lang",
    "title", "x:y", "rel", "width", "datetime",
)  # fmt: skip


def _text(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    if rng.random() < 0.5:
        text = text[:1].upper() + text[1:] + rng.choice(".!?:")
    return text


def _attrs(rng: random.Random, tag: str) -> str:
    parts = []
    for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
        name = rng.choice(ATTRIBUTES)
        if name in ("class", "id"):
            value = " ".join(rng.choice(CLASS_WORDS) for _ in range(rng.randint(1, 3)))
        elif name == "role":
            value = rng.choice(("navigation", "main", "banner", "contentinfo", "dialog", "x"))
        elif name == "style":
            value = rng.choice(("display:none", "visibility: hidden", "color:red", ""))
        elif name == "width":
            value = rng.choice(("480", "20", "²", "-1", "9" * 5000, "", "1e9"))
        elif name == "datetime":
            value = rng.choice(DATES)
        elif name == "rel":
            value = rng.choice(("tag", "nofollow", "canonical", ""))
        else:
            value = _text(rng, rng.randint(0, 3))
        quote = rng.choice(('"', "'", ""))
        if not quote:
            value = value.replace(" ", "-") or "x"
        parts.append(f" {name}={quote}{value}{quote}")
    if tag == "img":
        parts.append(f' src="{rng.choice(HREFS + ("/bild.jpg", "/logo.svg", "a.png"))}"')
        parts.append(f' alt="{_text(rng, rng.randint(0, 4))}"')
    elif tag == "a":
        parts.append(f' href="{rng.choice(HREFS)}"')
    return "".join(parts)


def _element(rng: random.Random, depth: int) -> str:
    roll = rng.random()
    if depth > 3 or roll < 0.3:
        return _text(rng, rng.randint(1, 15))
    if roll < 0.45:
        tag = rng.choice(INLINE_TAGS)
    elif roll < 0.5:
        tag = rng.choice(ODD_TAGS)
    else:
        tag = rng.choice(BLOCK_TAGS)
    inner = "".join(_element(rng, depth + 1) for _ in range(rng.randint(0, 3)))
    close = f"</{tag}>" if rng.random() < 0.9 else ""
    return f"<{tag}{_attrs(rng, tag)}>{inner}{close}"


def _head(rng: random.Random, title: str) -> str:
    parts = [f"<title>{title} - Ekås kommun</title>" if rng.random() < 0.9 else ""]
    if rng.random() < 0.5:
        parts.append(f'<meta property="og:title" content="{title}">')
    if rng.random() < 0.4:
        parts.append(f'<meta property="article:published_time" content="{rng.choice(DATES)}">')
    if rng.random() < 0.2:
        parts.append(f'<base href="{rng.choice(HREFS)}">')
    if rng.random() < 0.2:
        parts.append(f'<link rel="canonical" href="{rng.choice(HREFS)}">')
    if rng.random() < 0.3:
        ld = rng.choice((
            f'{{"@type": "NewsArticle", "datePublished": "{rng.choice(DATES)}"}}',
            '{"@graph": [{"@type": "WebPage"}, {"@type": "Article", "dateModified": 5}]}',
            "[" * rng.choice((10, 900, 5000)),
            '{"@type": ["Article", {"x": [1, [2, [3]]]}]}',
            "{not json",
        ))  # fmt: skip
        parts.append(f'<script type="application/ld+json">{ld}</script>')
    return "".join(parts)


def random_page(rng: random.Random) -> str:
    """One valid-ish municipal release page of random markup (a few kilobytes)."""
    title = _text(rng, rng.randint(0, 8)).rstrip(".!?:")
    body = []
    if rng.random() < 0.6:
        body.append(f'<div class="cookie-banner"><p>{_text(rng, 8)}</p></div>')
    if rng.random() < 0.6:
        menu = f"<ul><li><a href='/'>{_text(rng, 2)}</a></li></ul>"
        body.append(f"<header><nav>{menu}</nav></header>")
    article = []
    if rng.random() < 0.9:
        article.append(f"<h1{_attrs(rng, 'h1')}>{title}</h1>")
    if rng.random() < 0.6:
        article.append(f'<p class="{rng.choice(CLASS_WORDS)}">{rng.choice(DATES)}</p>')
    for _ in range(rng.randint(0, 6)):
        if rng.random() < 0.5:
            article.append(f"<p>{_text(rng, rng.randint(3, 40))}</p>")
        else:
            article.append(_element(rng, 0))
    wrapper = rng.choice(("main", "div", "article", "td", "section"))
    body.append(f'<{wrapper} class="{rng.choice(CLASS_WORDS)}">{"".join(article)}</{wrapper}>')
    if rng.random() < 0.5:
        body.append(
            f'<form class="contact"><h2>Kontakta oss</h2><label>Namn</label>'
            f"<input name=n><p>{_text(rng, 10)}</p><button>Skicka</button></form>"
        )
    if rng.random() < 0.7:
        body.append(f"<footer><p>{_text(rng, 10)}</p></footer>")
    lang = rng.choice(("sv", "sv-SE", "en", "", "x" * 40, "sv_se"))
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head>{_head(rng, title)}</head>'
        f"<body>{''.join(body)}</body></html>"
    )


_INSERTS = (
    "<?php echo $title; ?>", "<?xml version='1.0'?>", "<? ?>", "<?", "?>",
    "<![CDATA[ x < y ]]>", "<![CDATA[", "]]>", "<!-- kommentar -->", "<!--", "-->", "<!---->",
    "<!DOCTYPE html>", "<!doctype>", "<!>", "\x00", "\x00" * 20, "</p></div></td></table>",
    "</html>", "<body>", "<html>", "<head>", "<frameset>", "<plaintext>", "<xmp>", "<title>",
    "<textarea>", "<script>", "<style>", "<svg><foreignObject><p>", "<math><mi>",
    "<table>", "<select>", "&", "&#", "<", ">", "<a", '"', "'", "\ufeff", "\ud800", "\udfff",
    "\x1b", "\x7f", "\u2028", "<h1></h1>", "<h1>Rubrik</h1>", "<p><h1>x</p></h1>",
)  # fmt: skip


def _deep(rng: random.Random, size: int) -> str:
    unit = rng.choice(("<div>", "<span>", "<b>", "<a href=/x><div>", "<li><ul>",
                       "<table><tr><td>", "<figure><blockquote>", "<i><p>", "<x-y>",
                       '<div class="share">', "<section><h2>R</h2>"))  # fmt: skip
    depth = rng.choice((50, 300, 450, size))
    return unit * depth + _text(rng, 5)


def mutate(rng: random.Random, html: str, *, deep: int = 2000) -> str:
    """One to four random breakages of ``html`` (``deep``: the deepest nesting inserted)."""
    for _ in range(rng.randint(1, 4)):
        n = len(html)
        at = rng.randint(0, n)
        roll = rng.random()
        if roll < 0.12:
            html = html[: rng.randint(0, n)]  # truncated download
        elif roll < 0.27:
            raw = bytearray(html.encode("utf-8", "surrogatepass"))
            for _ in range(rng.randint(1, 12)):
                if raw:
                    raw[rng.randrange(len(raw))] = rng.randrange(256)
            # Decoded as the fetcher would (replacement characters) or keeping the bytes.
            errors = rng.choice(("replace", "surrogateescape", "ignore"))
            html = raw.decode(rng.choice(("utf-8", "utf-8", "cp1252", "latin-1")), errors)
        elif roll < 0.37:
            end = min(n, at + rng.randint(1, 400))
            html = html[:at] + html[end:]  # deleted range
        elif roll < 0.47:
            end = min(n, at + rng.randint(1, 400))
            html = html[:end] + html[at:end] * rng.randint(1, 5) + html[end:]  # duplicated
        elif roll < 0.72:
            html = html[:at] + rng.choice(_INSERTS) + html[at:]
        elif roll < 0.8:
            html = html[:at] + _deep(rng, deep) + html[at:]
        elif roll < 0.86:
            value = rng.choice(("x", "sidebar ", "9", "\x00", '"')) * rng.choice((100, 1000, 5000))
            name = rng.choice(("class", "id", "style", "href", "src", "data-x", "width"))
            html = html[:at] + f'<div {name}="{value}"><p>Text.</p></div>' + html[at:]
        elif roll < 0.93:
            html = html[:at] + _element(rng, 0) + html[at:]
        else:
            tag = rng.choice(BLOCK_TAGS + INLINE_TAGS + ODD_TAGS)
            html = html[:at] + rng.choice((f"<{tag}", f"</{tag}>", f"<{tag}/>")) + html[at:]
    return html
