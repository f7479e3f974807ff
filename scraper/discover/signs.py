"""The words of signposts to releases: link labels, URL path words and decoys (pure).

Data first: ``LABEL_RULES`` say what a whole link label promises ("Press och
media" is a hub, "Pressmeddelanden" a press-release listing, "Nyheter" a news
listing, "Presskontakt" a contact page); ``DECOYS`` are what only looks like
one (press images, city magazines, notice boards, parties, municipal
companies, language, login and cookie pages). A label is matched as a whole,
after counts, arrows and "Visa alla"-like openings are taken off, so that a
release title that happens to start with "Pressinbjudan:" or say "press" is
no signpost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from .names import fold

__all__ = [
    "DECOYS",
    "LABEL_RULES",
    "PATH_RULES",
    "SECTION_RE",
    "LabelMatch",
    "Rule",
    "decoy",
    "is_section",
    "match_label",
    "path_words",
]


@dataclass(frozen=True)
class Rule:
    """A pattern over a label (or folded path words), the kind it promises, its points."""

    pattern: re.Pattern[str]
    #: "listing", "hub" or "decoy"; for listings "press", "news" or "mixed" in ``topic``.
    kind: str
    points: float
    #: How the evidence line names the rule.
    says: str
    topic: str = ""


def _r(pattern: str, kind: str, points: float, says: str, topic: str = "") -> Rule:
    return Rule(re.compile(pattern, re.IGNORECASE), kind, float(points), says, topic)


_AND = r"\s*(?:och|&|\+|,)\s*"
_PRESS_RELEASES = r"press\s?meddelanden?|press\s?releaser?|press\s?releases?"
_NEWS = r"nyheter|nyhet|aktuellt|news"


def _any(*alternatives: str) -> str:
    return "|".join(alternatives)


# --------------------------------------------------------------------------
# Labels (data, not logic): matched against the whole cleaned label, in order.

# fmt: off
LABEL_RULES: tuple[Rule, ...] = (
    _r(rf"(?:{_PRESS_RELEASES})(?:arkiv(?:et)?)?", "listing", 10, "press releases", "press"),
    _r(rf"(?:{_PRESS_RELEASES}){_AND}press\s?inbjudn?(?:ingar|an)",
       "listing", 10, "press releases and invitations", "press"),
    _r(_any(rf"(?:{_NEWS}){_AND}(?:{_PRESS_RELEASES})", rf"(?:{_PRESS_RELEASES}){_AND}(?:{_NEWS})"),
       "listing", 9.5, "news and press releases", "mixed"),
    _r(r"press\s?arkiv(?:et)?", "listing", 9, "press archive", "press"),
    _r(r"press\s?inbjudn?(?:ingar|an)", "listing", 8, "press invitations", "press"),
    _r(_any(rf"press{_AND}(?:{_NEWS})", rf"(?:{_NEWS}){_AND}press"),
       "hub", 8.5, "press and news", "mixed"),
    _r(_any(r"press\s?rum(?:met)?", r"press\s?cent(?:er|ret|rum)",
            r"press-?\s?och\s?mediarum(?:met)?"),
       "hub", 8.5, "press room"),
    _r(_any(rf"press(?:{_AND}media)?", rf"media{_AND}press"), "hub", 8, "press page"),
    _r(_any(rf"press-?{_AND}informations\s?material",
            rf"press\s?material(?:{_AND}extern kommunikation)?"),
       "hub", 8, "press material"),
    _r(_any(rf"press{_AND}kommunikation", rf"kommunikation{_AND}press", r"press\s?information"),
       "hub", 8, "press and communication"),
    _r(_any(r"för\s(?:media|medier|press(?:en)?|journalister)", r"medi[ae]\s?rum(?:met)?"),
       "hub", 8, "for the media"),
    _r(r"nyhets\s?rum(?:met)?|newsroom", "hub", 7, "newsroom"),
    _r(r"media|medier", "hub", 5, "media page"),
    _r(_any(r"nyhets\s?arkiv(?:et)?", r"arkiv\s(?:för\s)?nyheter", r"nyhetslista"),
       "listing", 5.5, "news archive", "news"),
    _r(rf"(?:{_NEWS})(?:{_AND}(?:{_NEWS}|evenemang|händelser))?", "listing", 5, "news", "news"),
    _r(_any(r"senaste\snyheter(?:na)?", r"aktuella\snyheter", r"kommunens\snyheter"),
       "listing", 5, "news", "news"),
    # A contact page for the press is no listing, but often the hub that links to one:
    # low but positive.
    _r(_any(r"press\s?kontakt(?:er)?", r"press\s?tjänst(?:en)?", r"press\s?ansvarig(?:a)?",
            r"press\s?telefon(?:en)?", r"medi[ae]\s?kontakt(?:er)?",
            r"kontakt\sför\s(?:media|press|journalister)", r"kommunikatörer(?:na)?",
            r"kontakta\s(?:kommunikatörerna|kommunikationsavdelningen|kommunikationsenheten"
            r"|presstjänsten|oss\som\spress)"),
       "hub", 1.5, "press contact page"),
)

#: Decoys: searched anywhere in the label; a decoy caps the link's score at its points.
DECOYS: tuple[Rule, ...] = (
    _r(_any(r"press\s?bild", r"press\s?foto", r"bild\s?bank", r"bild\s?arkiv", r"logotyp",
            r"grafisk\sprofil"),
       "decoy", -5, "press images"),
    _r(_any(r"^vårt\s(?!press|nyhet|media|aktuellt)\S+$", r"magasin", r"tidning",
            r"nyhetsbrev", r"prenumerera"),
       "decoy", -3, "magazine or newsletter"),
    _r(_any(r"kommunen\ssvarar", r"fråga\skommunen", r"medborgarförslag"),
       "decoy", -4, "questions to the municipality"),
    _r(_any(r"anslagstavla", r"kungörelse", r"kallelse", r"tillkännagivande", r"protokoll",
            r"delgivning"),
       "decoy", -5, "notice board"),
    _r(_any(r"socialdemokrat", r"moderat", r"centerpartiet", r"liberalerna", r"folkpartiet",
            r"kristdemokrat", r"vänsterpartiet", r"miljöpartiet", r"sverigedemokrat",
            r"\bpartier(?:na)?\b", r"\bpartiet\b"),
       "decoy", -6, "political party"),
    _r(_any(r"\bab\b", r"\benergi\b", r"bostäder\b", r"\bbostad\b", r"\bvatten\b",
            r"\bbolag(?:en|et)?\b", r"\bkoncern", r"\bfastighet"),
       "decoy", -4, "municipal company"),
    _r(_any(r"translate", r"in english", r"^english$", r"languages?\b", r"andra\sspråk",
            r"^språk$", r"lättläst", r"teckenspråk", r"suomeksi", r"meänkieli", r"sámegiella"),
       "decoy", -4, "language page"),
    _r(_any(r"logga\sin", r"log\sin", r"login", r"mina\ssidor", r"min\ssida", r"e-tjänst"),
       "decoy", -4, "login"),
    _r(_any(r"cookie", r"kakor", r"personuppgift", r"integritet", r"tillgänglighets"),
       "decoy", -4, "cookies or privacy"),
    _r(_any(r"evenemang", r"kalendari", r"kalender", r"lediga\s(?:jobb|tjänster)",
            r"jobba\s(?:hos|i|på)", r"upphandling"),
       "decoy", -3, "events, jobs or tenders"),
)

#: Folded words of the link's last path segment (or a newsroom's slug): decoys
#: first, then the first positive rule that matches.
PATH_RULES: tuple[Rule, ...] = (
    _r(_any(r"press\s?bild", r"bildbank", r"bildarkiv", r"anslagstavla", r"kungorelse",
            r"kallelse"),
       "decoy", -3, "decoy path word"),
    _r(_any(r"socialdemokrat", r"moderat", r"centerpartiet", r"liberalerna", r"kristdemokrat",
            r"vansterpartiet", r"miljopartiet", r"sverigedemokrat"),
       "decoy", -6, "party in the path"),
    _r(r"pressmeddelande|press\s?releases?|pressreleaser",
       "listing", 2, "press-release path word", "press"),
    _r(_any(r"^press(?:\b|och|rum|material|center|info)", r"\bpress\s?rum", r"\bmedia\s?rum",
            r"\bfor\s(?:media|press)"),
       "hub", 1.5, "press path word"),
    _r(r"nyhet|aktuellt|\bnews\b", "listing", 1, "news path word", "news"),
)
# fmt: on

#: Openings that say nothing about the target ("Visa alla nyheter" is "nyheter").
_OPENING_RE = re.compile(
    r"^(?:(?:visa|se|läs|gå\still|till|fler|mer|alla|samtliga|senaste|våra|kommunens|"
    r"arkiv\s?:)\s+)+",
    re.IGNORECASE,
)
#: What may follow a matched label: "från Björkby kommun", "2026", "- arkiv".
_TAIL_RE = re.compile(
    r"^(?:\s*[-–:|]?\s*(?:(?:från|för|hos|i|om|inom|på|via|at|on)\s+\S.{0,60}|\d{4}|arkiv|rss))?\s*$",
    re.IGNORECASE,
)
_NOISE_RE = re.compile(r"\(\d+\)|[»›→←>‹«▶►▸]|\s+[-–]\s*$|[:.,]$")
#: Labels longer than this are titles, not signposts.
MAX_LABEL_WORDS = 8
MAX_LABEL_CHARS = 70


@dataclass(frozen=True)
class LabelMatch:
    """What a link label promises."""

    rule: Rule | None
    #: The label as matched (openings and noise taken off).
    core: str
    #: "alla"/"fler" opened the label: the whole listing, not a selection.
    all_of_them: bool
    #: The label reads like a title (too long, or a known word followed by more).
    title_like: bool


def clean_label(label: str) -> str:
    """The label without counts, arrows and trailing punctuation, whitespace collapsed."""
    text = " ".join((label or "").split())
    previous = None
    while previous != text:
        previous, text = text, _NOISE_RE.sub(" ", text).strip()
    return " ".join(text.split())


def match_label(label: str) -> LabelMatch:
    """The first ``LABEL_RULES`` rule the whole label matches (after its opening)."""
    text = clean_label(label)
    title_like = len(text.split()) > MAX_LABEL_WORDS or len(text) > MAX_LABEL_CHARS
    opening = _OPENING_RE.match(text)
    all_of_them = bool(opening and re.search(r"alla|samtliga|fler", opening.group(0), re.I))
    core = text[opening.end() :] if opening else text
    if title_like or not core:
        return LabelMatch(None, core, all_of_them, title_like)
    for rule in LABEL_RULES:
        match = rule.pattern.match(core)
        # A label such as "Press" must not match the start of "Pressbilder".
        whole_word = match is not None and (
            match.end() == len(core) or not core[match.end()].isalnum()
        )
        if match and whole_word and _TAIL_RE.match(core[match.end() :]):
            return LabelMatch(rule, core, all_of_them, False)
    # "Pressinbjudan: Spadtag för nya skolan" starts like a signpost but is a title.
    starts = any(rule.pattern.match(core) for rule in LABEL_RULES)
    return LabelMatch(None, core, all_of_them, title_like=starts and len(core.split()) > 2)


def decoy(label: str) -> Rule | None:
    """The first decoy the label shows, or None."""
    text = clean_label(label)
    for rule in DECOYS:
        if rule.pattern.search(text):
            return rule
    return None


def path_words(url: str) -> str:
    """The folded words of a URL's last path segment, without file and Sitevision suffixes.

    "/kommun-och-politik/Pressmeddelanden/" -> "pressmeddelanden";
    "/pressochinformationsmaterial.4.bbd1b101a5.html" -> "pressochinformationsmaterial".
    """
    segments = [s for s in unquote(urlsplit(url).path).split("/") if s]
    # A feed's own name says nothing: "/kategori/pressmeddelanden/feed/" is about press.
    while len(segments) > 1 and segments[-1].lower() in _FEED_SEGMENTS:
        segments.pop()
    if not segments:
        return ""
    last = re.sub(r"\.[0-9]+\.[0-9a-f]+(?:\.html?)?$", "", segments[-1], flags=re.I)
    last = re.sub(r"\.(?:html?|aspx?|php|jsp|xml|rss|atom)$", "", last, flags=re.I)
    return fold(last)


_FEED_SEGMENTS = frozenset({"feed", "rss", "atom", "rss.xml", "feed.xml", "atom.xml", "index.xml"})


#: Top-level sections under which municipal sites keep their press pages
#: ("Kommun och politik -> Press och media -> Pressmeddelanden"): opened when no
#: signpost to the releases showed on the pages read so far.
SECTION_RE = re.compile(
    r"^(?:kommun" + _AND + r"politik|om kommunen|kommunen|kommun" + _AND + r"förvaltning"
    r"|politik" + _AND + r"(?:förvaltning|demokrati|påverkan)|demokrati" + _AND + r"politik"
    r"|om regionen|regionen|region" + _AND + r"politik|om oss|organisation)$",
    re.IGNORECASE,
)


def is_section(label: str) -> bool:
    """True for a top-level section's label ("Kommun och politik", "Om kommunen")."""
    return bool(SECTION_RE.match(clean_label(label)))
