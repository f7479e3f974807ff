"""Markup knowledge as data: tag sets, class/id hint words, meta names, CSS selectors.

Nothing here names one site. Every entry is evidence that holds across sites
(HTML semantics, the class vocabularies of common CMSs: Sitevision,
Episerver/Optimizely, WordPress, newsroom platforms), grouped by concept.
The page walk (``scraper.extract.blocks``), ``scraper.extract.boilerplate`` and the field finders
of ``scraper.extract`` read these constants; tuning extraction mostly means
editing this file.
"""

from __future__ import annotations

import re

# --------------------------------------------------------------------------
# Tags

#: Subtrees that never hold readable release text.
SKIP_TAGS: frozenset[str] = frozenset(
    {
        "head", "script", "style", "noscript", "template", "svg", "math", "canvas",
        "iframe", "object", "embed", "video", "audio", "map", "select", "option",
        "textarea", "input", "button", "link", "meta", "base", "dialog",
    }
)  # fmt: skip

#: Elements that start a new block of text (everything else is inline).
BLOCK_TAGS: frozenset[str] = frozenset(
    {
        "html", "body", "address", "article", "aside", "blockquote", "center", "dd",
        "details", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
        "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup",
        "hr", "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section",
        "summary", "table", "caption", "tbody", "thead", "tfoot", "tr", "td", "th",
        "ul", "label",
    }
)  # fmt: skip

#: Block tags whose text is a paragraph of the body (others are containers).
PARAGRAPH_TAGS: frozenset[str] = frozenset(
    {"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "td", "th"}
)

HEADING_TAGS: frozenset[str] = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

#: Semantic containers of site furniture (HTML5 sectioning and forms).
FURNITURE_TAGS: frozenset[str] = frozenset({"nav", "aside", "footer", "header", "form", "menu"})

#: Furniture subtrees skipped in the walk without looking inside.
SKIPPED_FURNITURE_TAGS: frozenset[str] = frozenset({"nav", "aside", "footer"})

#: ARIA landmark roles of site furniture.
FURNITURE_ROLES: frozenset[str] = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar",
     "toolbar", "dialog", "alertdialog", "alert", "tablist"}
)  # fmt: skip

#: Containers of an image and its caption.
FIGURE_TAGS: frozenset[str] = frozenset({"figure", "figcaption", "picture"})

#: CSS selector of the media a <figure> may show (one without any holds a quotation).
MEDIA_TAGS = "img, picture, video, audio, iframe, object, embed, svg, canvas"

# --------------------------------------------------------------------------
# Class and id words (see class_hints.hint_words and class_hints.hint_flags)
#
# A class or id value is split into words on "-", "_", spaces and other
# punctuation, camelCase boundaries and digits ("nav-new-1-pixel" is nav, new,
# 1, pixel; "mainContent" is main, content), and a hint matches whole words:
# "print" is no hint in "pageprint", "share" none in "evolve-shared-mutable-history".
# A hint of several words ("more stories") matches consecutive words. A word
# also matches with an inflection ending (``HINT_WORD_ENDINGS``: "comments",
# "kontakter", "relaterade"). Compounds that CMSs and themes write as one word
# ("submenu", "searchform", "huvudmeny") are listed as words of their own: no
# rule can tell "sitefooter" (furniture) from "pageprint" (a printable article).

#: Words of class/id that mark furniture: navigation, sharing, contact cards,
#: consent banners, related lists, bylines, captions, CMS widgets.
NEGATIVE_WORDS: tuple[str, ...] = (
    # navigation, menus, search
    "nav", "navigation", "navbar", "subnav", "topnav", "mainnav", "sitenav", "navlinks",
    "subnavlinks", "menu", "submenu", "subsubmenu", "megamenu", "mainmenu", "topmenu",
    "sidemenu", "usermenu", "menuitem", "menulist", "meny", "huvudmeny", "undermeny",
    "breadcrumb", "breadcrumbs", "crumbs", "brodsmula", "brodsmulor", "brödsmula",
    "brödsmulor", "brodsmulestig", "pagination", "pager", "next", "prev", "previous",
    "toolbar", "tools", "verktyg", "toppverktyg", "skip", "skiplink", "skiplinks",
    "hopp", "hoppa", "jump", "search", "searchform", "searchbox", "searchsubmit",
    "sok", "links", "quicklinks", "toc", "sv toc", "sv archive", "top", "utility", "utils",
    "lang", "language", "languageswitcher",
    # site header and footer
    "header", "siteheader", "pageheader", "masthead", "footer", "sitefooter", "pagefooter",
    "prefooter", "sidfot", "foot", "site info", "page info", "pageinfo",
    # sharing, social, newsletters, comments, ratings
    "share", "sharing", "sharebar", "sharetools", "sharedaddy", "sharethis", "addthis",
    "addtoany", "dela", "social", "socialmedia", "follow", "newsletter", "nyhetsbrev",
    "subscribe", "signup", "login", "comment", "commentform", "commentlist", "kommentar",
    "disqus", "feedback", "rating", "betyg", "tipsa", "print", "readspeaker", "lyssna",
    "listen", "rs skip",
    # consent
    "cookie", "cookiebanner", "cookiebar", "cookienotice", "cookieconsent", "consent",
    "gdpr", "kakor",
    # related, promoted, advertising
    "sidebar", "aside", "extra", "related", "relatedposts", "relaterad", "recommend",
    "recommended", "recommendation", "promo", "promotion", "sponsor", "sponsored", "ad",
    "advert", "advertisement", "advertising", "adslot", "adunit", "ad slot", "adbanner",
    "dfp", "outbrain", "taboola", "banner", "topbanner", "fullbanner", "superbanner",
    "popup", "modal", "trending", "popular", "more", "mer", "more stories", "readmore",
    "card list", "teaser", "puff", "puffnyheter", "widget", "textwidget", "widgettitle",
    "cta", "tags", "tag", "tagcloud", "gallery thumbs", "thumbnail list",
    # bylines, dates, captions, page facts
    "byline", "author", "authorinfo", "authorname", "authorbox", "dateline", "timestamp",
    "date", "datum", "meta", "metadata", "post meta", "entry meta", "article meta",
    "caption", "wp caption", "bildtext", "credit", "photographer", "fotograf",
    "last reviewed", "reviewed", "senast", "updated date", "editor info", "responsible",
    "ansvarig", "note",
    # contact cards, "about the organisation", notices
    "contact", "contactinfo", "kontakt", "presskontakt", "kontaktcenter", "kontaktkort",
    "kontaktuppgifter", "kontaktinformation", "boilerplate", "about", "company info",
    "organization info", "notice", "disclaimer",
    # shown to screen readers or one screen size only
    "visually hidden", "visuallyhidden", "sr", "sr only", "screen reader", "screenreader",
    "a11y", "offscreen", "mobile only", "visible xs", "hidden lg", "hidden md", "d lg none",
    "lg hidden", "md hidden",
)  # fmt: skip

#: Class words that name an item's state or storage type, not its role; removed
#: from a class/id string before any hint word is looked for. Drupal's
#: ``node--promoted`` (promoted to the front page) is no "promo" box, and its
#: ``field--type-text-with-summary`` (the storage type of a body field) is no
#: summary: the role is in ``field--name-*``.
NEUTRAL_CLASS_RE = re.compile(r"field--type-[a-z0-9_-]+|promoted", re.IGNORECASE)

#: Words of class/id that mark the editorial text.
POSITIVE_WORDS: tuple[str, ...] = (
    "article", "articlebody", "articlecontent", "articletext", "content", "maincontent",
    "pagecontent", "postcontent", "entrycontent", "main", "mainbody", "body", "bodytext",
    "text", "richtext", "story", "storybody", "storytext", "entry", "post", "prose",
    "editorial", "brodtext", "brödtext", "artikel", "artikelmall", "nyhet", "nyhetsmall",
    "news", "release", "pressmeddelande", "sv text portlet", "page body",
)  # fmt: skip

#: Words of class/id that mark the ingress (lead) of a release (no inflection endings).
LEAD_WORDS: tuple[str, ...] = (
    "lead", "ingress", "preamble", "introduction", "intro", "excerpt", "summary",
    "standfirst", "deck", "dek", "sv font ingress",
)  # fmt: skip

#: Words of class/id that mark a caption (and so a figure).
CAPTION_WORDS: tuple[str, ...] = (
    "caption", "bildtext", "figcaption", "credit", "photographer", "fotograf",
)  # fmt: skip

#: Words of class/id that mark an image container.
FIGURE_WORDS: tuple[str, ...] = (
    "figure", "image portlet", "imageportlet", "wp block image", "image block", "bildblock",
)  # fmt: skip

#: Endings a class/id word may carry beyond a hint word: English plurals, Swedish
#: plurals, definite and adjective forms ("comments", "kontakter", "relaterade",
#: "sidfoten"). No "-d"/"-ed": "shared" is no sharing bar.
HINT_WORD_ENDINGS: tuple[str, ...] = (
    "s", "es", "er", "ar", "or", "en", "n", "et", "na", "erna", "arna", "orna", "e", "a",
)  # fmt: skip

#: Class tokens of elements that are hidden from every reader.
HIDDEN_TOKENS: frozenset[str] = frozenset(
    {"hidden", "hide", "is-hidden", "u-hidden", "d-none", "invisible", "sr-only",
     "visually-hidden", "visuallyhidden", "screen-reader-text", "screenreader",
     "element-invisible", "offscreen", "show-for-sr", "sr-text", "assistive-text",
     "a11y-hidden", "rs_skip", "print-only", "only-print", "noprint-hidden"}
)  # fmt: skip

HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

# --------------------------------------------------------------------------
# Text evidence

#: Whole lines (lower case) that are furniture on any Swedish or English site.
FURNITURE_LINES: frozenset[str] = frozenset(
    {"lyssna", "läs upp", "skriv ut", "dela", "dela sidan", "dela artikeln", "share",
     "print", "advertisement", "annons", "tipsa", "tipsa en vän", "tillbaka", "back",
     "till toppen", "upp", "top", "facebook", "twitter", "linkedin", "x", "e-post",
     "email", "mail", "instagram", "youtube", "kopiera länk", "copy link",
     "read more", "läs mer", "visa fler", "show more", "load more", "menu", "meny",
     "sök", "search", "stäng", "close"}
)  # fmt: skip

#: Starts of short lines (lower case) that are furniture whatever the markup.
FURNITURE_LINE_PREFIXES: tuple[str, ...] = (
    "gå direkt till", "hoppa till", "till huvudinnehåll", "skip to", "jump to",
    "vi använder kakor", "vi använder cookies", "den här webbplatsen använder kakor",
    "webbplatsen använder kakor", "denna webbplats använder", "vi skulle vilja använda",
    "we use cookies", "this website uses cookies", "this site uses cookies",
    "sidan senast granskad", "senast granskad", "sidan senast uppdaterad",
    "senast uppdaterad", "sidan uppdaterades", "sidan publicerades", "sidansvarig",
    "dela på", "dela:", "share on", "share this", "tipsa om sidan", "skicka ett tips",
    "tipsa webbredaktionen", "denna nyhet är äldre än", "den här nyheten är äldre än",
    "nyheten är äldre än", "den här sidan är äldre än", "this article is more than",
    "read more:", "related:", "relaterat:", "foto:", "bild:", "photo:",
    "image:", "illustration:", "publicerad:", "uppdaterad:", "published:", "updated:",
    "taggar:", "ämnen:", "kategorier:", "tags:", "topics:",
)  # fmt: skip

#: Headings (lower case, whole or as the start of a heading) that open a section of
#: site furniture below a release: a contact form, a personal-data notice, sharing,
#: related pages. The text of a short release ends at one (``boilerplate.own_text``).
FURNITURE_HEADINGS: tuple[str, ...] = (
    "kontakta oss", "kontakta kommunen", "skicka en fråga", "ställ en fråga",
    "lämna en synpunkt", "lämna synpunkter", "tyck till", "så behandlar vi",
    "så hanterar vi", "behandling av personuppgifter", "hantering av personuppgifter",
    "dina personuppgifter", "om personuppgifter", "personuppgifter", "dataskydd", "gdpr",
    "om kakor", "kakor på", "cookies", "dela", "dela sidan", "dela artikeln", "relaterat",
    "relaterade nyheter", "relaterade sidor", "läs också", "fler nyheter",
    "senaste nyheter", "senaste nyheterna", "hittade du det du sökte", "var sidan till hjälp",
    "contact us", "personal data", "how we process", "related", "share",
)  # fmt: skip

#: Starts of words (lower case) of a personal-data or cookie notice: running text
#: that holds one is no body of a release that the page shows apart from its headline.
NOTICE_WORDS: tuple[str, ...] = (
    "personuppgift", "dataskydd", "gdpr", "kakor", "kakan", "cookie", "samtyck",
    "integritet", "personal data", "privacy",
)  # fmt: skip

#: Labels (lower case) that open a contact or responsibility block of the site
#: template; with a phone number, e-mail or postal address after them the block
#: is furniture ("Ansvarig förvaltning Kommunledningsförvaltningen ... Tel ...").
CONTACT_LABELS: tuple[str, ...] = (
    "ansvarig förvaltning", "ansvarig nämnd", "ansvarig enhet", "ansvarig avdelning",
    "ansvarig för sidan", "kontaktcenter", "kontakta oss", "kontakta kommunen",
    "besöksadress", "postadress", "växel:", "telefon växel",
)  # fmt: skip

#: Visible labels that announce the kind of a release.
KIND_LABELS: dict[str, str] = {
    "pressmeddelande": "Pressmeddelande",
    "pressinbjudan": "Pressinbjudan",
    "pressinformation": "Pressinformation",
    "nyhet": "Nyhet",
    "nyheter": "Nyhet",
    "nyhetsartikel": "Nyhet",
    "debattartikel": "Debattartikel",
    "kungörelse": "Kungörelse",
    "driftinformation": "Driftinformation",
    "driftstörning": "Driftstörning",
    "inbjudan": "Inbjudan",
    "press release": "Pressmeddelande",
    "news": "Nyhet",
}

#: Path of a tag or category archive (WordPress ``/tag/``, ``/category/`` and their
#: Swedish translations, Drupal ``/taxonomy/term/``): the link text is a tag of the page.
TAXONOMY_PATH_RE = re.compile(
    r"/(?:tag|tags|tagg|taggar|category|categories|kategori|kategorier|etikett|etiketter"
    r"|amne|amnen|topic|topics)/[^/]|/taxonomy/term/\d",
    re.IGNORECASE,
)

# --------------------------------------------------------------------------
# Metadata in <head>

#: <meta> names/properties of the title, best first.
TITLE_META: tuple[str, ...] = ("og:title", "twitter:title", "dc.title", "dcterms.title")

#: <meta> names/properties of the site name (removed from the end of <title>).
SITE_NAME_META: tuple[str, ...] = ("og:site_name", "application-name", "dc.publisher")

#: <meta> names/properties carrying the publication date, by source.
PUBLISHED_META: dict[str, tuple[str, ...]] = {
    "meta": ("article:published_time", "og:published_time", "published_time",
             "datepublished", "publishdate", "publish-date", "pubdate", "date"),
    "dublin-core": ("dc.date", "dcterms.created", "dcterms.issued", "dc.date.issued",
                    "dc.date.created", "dcterms.date"),
}  # fmt: skip

#: <meta> names/properties carrying the modification date, by source.
UPDATED_META: dict[str, tuple[str, ...]] = {
    "meta": ("article:modified_time", "og:updated_time", "og:modified_time",
             "datemodified", "last-modified", "modified"),
    "dublin-core": ("dcterms.modified", "dc.date.modified", "dc.modified"),
}  # fmt: skip

#: Document links, by file extension, with the MIME type guessed from it.
ATTACHMENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "rtf": "application/rtf",
    "txt": "text/plain",
    "csv": "text/csv",
    "zip": "application/zip",
    "mp3": "audio/mpeg",
    "mp4": "video/mp4",
}

#: Words of image file names and classes that mark logos and icons (not release images).
ICON_WORDS: frozenset[str] = frozenset(
    {"logo", "logotyp", "logotype", "icon", "icons", "ikon", "sprite", "favicon", "avatar",
     "badge", "pixel", "spacer", "blank", "loader", "placeholder", "emoji", "arrow", "pil",
     "facebook", "twitter", "instagram", "linkedin", "youtube", "rss", "custom-logo", "tracking"}
)  # fmt: skip
