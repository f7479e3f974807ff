"""Which CMS a municipal site runs, from one fetched page and its headers (pure).

``detect_cms`` weighs markers per CMS and names the strongest, with the
markers as evidence. Markers are data (``MARKERS``): a meta generator is
unambiguous; asset and page paths (``/4.<id>.html``, ``/globalassets/``,
``/wp-content/``, ``/sites/default/files``, ``/wps/portal``), class and
attribute names (``sv-*-portlet``, ``data-drupal-*``) and response headers
(``x-powered-by``, ``server``, cookie names) add up. Municipio is a
WordPress theme: a site that shows both is Municipio. A page that shows
nothing is "homegrown".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

from scraper.records import CmsGuess

__all__ = ["CMS_NAMES", "MARKERS", "detect_cms"]

#: Every answer ``detect_cms`` gives.
CMS_NAMES = (
    "sitevision",
    "episerver",
    "wordpress",
    "municipio",
    "drupal",
    "websphere",
    "homegrown",
)


@dataclass(frozen=True)
class Marker:
    """One sign of a CMS: a regex over one kind of evidence, and its weight."""

    cms: str
    #: "generator" (meta generator), "url" (href/src/action values and the page
    #: URL), "class" (class names), "attr" (attribute names), "script" (inline
    #: script text), "header" ("name: value" lines) or "cookie" (cookie names).
    where: str
    pattern: re.Pattern[str]
    weight: float
    #: How the evidence line names the marker.
    says: str


def _m(cms: str, where: str, pattern: str, weight: float, says: str) -> Marker:
    return Marker(cms, where, re.compile(pattern, re.IGNORECASE), weight, says)


# --------------------------------------------------------------------------
# Markers (data, not logic). Weight 5: unambiguous; 3-4: strong; below 1: weak,
# shared with other systems (ASP.NET, Java servlet containers, PHP).

MARKERS: tuple[Marker, ...] = (
    _m("sitevision", "generator", r"sitevision", 5, "meta generator"),
    _m("sitevision", "url", r"/sitevision/", 4, "asset path /sitevision/"),
    _m(
        "sitevision",
        "url",
        r"/4\.[0-9a-f]+/12\.[0-9a-f]+\.portlet",
        4,
        "portlet path /4.<id>/12.<id>.portlet",
    ),  # noqa: E501
    _m("sitevision", "url", r"[/.][45]\.[0-9a-f]{6,}\.html", 3, "page path <name>.4.<id>.html"),
    _m("sitevision", "url", r"/(images|download)/18\.[0-9a-f]+", 3, "file path /images/18.<id>"),
    _m("sitevision", "class", r"^sv-[a-z0-9-]+-portlet$", 1.5, "class sv-*-portlet"),
    _m(
        "sitevision",
        "class",
        r"^sv-(layout|vertical|horizontal|use-margins|skip-spacer)$",
        1,
        "class sv-layout",
    ),  # noqa: E501
    _m("sitevision", "attr", r"^id=svid1[02]_", 2, "id svid10_/svid12_"),
    _m("sitevision", "header", r"^x-powered-by: .*sitevision", 5, "x-powered-by"),
    _m("sitevision", "cookie", r"^sitevisionltm", 4, "cookie SiteVisionLTM"),
    _m("sitevision", "cookie", r"^jsessionid$", 0.5, "cookie JSESSIONID (Java)"),
    _m("episerver", "generator", r"episerver|optimizely", 5, "meta generator"),
    _m("episerver", "url", r"/globalassets/", 3, "asset path /globalassets/"),
    _m("episerver", "url", r"/contentassets/", 3, "asset path /contentassets/"),
    _m("episerver", "url", r"/episerver/", 4, "path /EPiServer/"),
    _m("episerver", "url", r"/util/login\.aspx", 3, "admin path /util/login.aspx"),
    _m("episerver", "url", r"/siteassets/", 1, "asset path /siteassets/"),
    _m("episerver", "attr", r"^data-epi-", 3, "attribute data-epi-*"),
    _m("episerver", "script", r"epi\.(cms|shell)|episerver", 2, "EPiServer in a script"),
    _m("episerver", "header", r"^x-powered-by: .*(episerver|optimizely)", 5, "x-powered-by"),
    _m("episerver", "header", r"^x-powered-by: .*asp\.net", 0.5, "x-powered-by ASP.NET"),
    _m("episerver", "cookie", r"^(epi|\.episerver|\.aspxauth)", 3, "EPiServer cookie"),
    _m("episerver", "cookie", r"^asp\.net_sessionid$", 0.5, "cookie ASP.NET_SessionId"),
    _m("wordpress", "generator", r"wordpress", 5, "meta generator"),
    _m("wordpress", "url", r"/wp-content/", 3, "path /wp-content/"),
    _m("wordpress", "url", r"/wp-includes/", 3, "path /wp-includes/"),
    _m("wordpress", "url", r"/wp-json/", 3, "REST path /wp-json/"),
    _m("wordpress", "url", r"/xmlrpc\.php|/wp-admin/", 2, "path /xmlrpc.php or /wp-admin/"),
    _m("wordpress", "header", r"^link: .*api\.w\.org", 4, "Link header api.w.org"),
    _m("wordpress", "header", r"^x-pingback: ", 3, "x-pingback header"),
    _m("wordpress", "header", r"^x-powered-by: .*php", 0.5, "x-powered-by PHP"),
    _m("wordpress", "cookie", r"^(wordpress_|wp-settings)", 3, "WordPress cookie"),
    _m("municipio", "generator", r"municipio", 5, "meta generator"),
    _m("municipio", "url", r"/wp-content/themes/municipio", 5, "theme path /themes/municipio"),
    _m(
        "municipio",
        "url",
        r"helsingborg-stad|styleguide-web|/themes/[a-z0-9-]*municipio",
        3,
        "Municipio styleguide/child theme",
    ),  # noqa: E501
    _m("municipio", "script", r"municipio", 2, "Municipio in a script"),
    _m("municipio", "class", r"^municipio", 3, "class municipio*"),
    _m("drupal", "generator", r"drupal", 5, "meta generator"),
    _m(
        "drupal",
        "url",
        r"/sites/(default|all)/(files|themes|modules)/",
        3,
        "path /sites/default/files",
    ),  # noqa: E501
    _m("drupal", "url", r"/core/misc/drupal\.js|/misc/drupal\.js", 4, "script drupal.js"),
    _m("drupal", "attr", r"^data-drupal-", 3, "attribute data-drupal-*"),
    _m("drupal", "script", r"drupalSettings|Drupal\.settings", 3, "drupalSettings in a script"),
    _m("drupal", "header", r"^x-generator: .*drupal", 5, "x-generator header"),
    _m("drupal", "header", r"^x-drupal-", 4, "x-drupal-* header"),
    _m("websphere", "url", r"/wps/(portal|myportal)", 4, "path /wps/portal"),
    _m("websphere", "url", r"!ut/p/z[0-9]/", 4, "portlet state !ut/p/z1/"),
    _m("websphere", "url", r"/wps/(wcm|contenthandler)/", 3, "path /wps/wcm/"),
    _m("websphere", "header", r"^server: .*(websphere|ibm_http_server)", 3, "server header IBM"),
    _m(
        "websphere",
        "cookie",
        r"^(ltpatoken2?|wasreq|digest_?[0-9a-z]*_?wps)",
        3,
        "IBM WebSphere cookie",
    ),  # noqa: E501
    _m("websphere", "cookie", r"^jsessionid$", 0.5, "cookie JSESSIONID (Java)"),
)

#: Score at or above which a CMS is named at all, and at or above which the
#: guess is "high" confidence.
MIN_SCORE = 2.0
HIGH_SCORE = 5.0
#: Attributes whose values are URLs.
_URL_ATTRS = ("href", "src", "action", "data-src", "content")
_FOLDED_COOKIE_RE = re.compile(r",\s*(?=[^;,=\s]+=)")


def detect_cms(
    html: str,
    url: str,
    headers: Iterable[tuple[str, str]] | Mapping[str, str] = (),
) -> CmsGuess:
    """Return the CMS the page shows most evidence of, with that evidence.

    :param html: the page's text.
    :param url: the URL it was fetched from (its path is evidence too).
    :param headers: the response headers as (name, value) pairs (``Page.headers``)
        or a mapping; names in any case.

    Each marker counts once per page (with how often it was seen); the CMS
    with the highest sum wins when it reaches ``MIN_SCORE``. Markers of other
    systems are named in the evidence as "also seen".
    """
    seen = _evidence_strings(html, url, headers)
    scores: dict[str, float] = {}
    found: dict[str, list[tuple[float, str]]] = {}
    for marker in MARKERS:
        hits = [s for s in seen[marker.where] if marker.pattern.search(s)]
        if not hits:
            continue
        weight = marker.weight
        if marker.where == "class":
            # Several distinct portlet classes are a stronger sign than one.
            weight = min(4.0, weight * len(set(hits)))
        scores[marker.cms] = scores.get(marker.cms, 0.0) + weight
        if marker.where == "class":
            distinct = sorted(set(hits))
            sample, count = ", ".join(distinct[:3]), f" ({len(distinct)} distinct)"
        else:
            sample = hits[0] if len(hits[0]) <= 80 else hits[0][:77] + "..."
            count = f" ({len(hits)}x)" if len(hits) > 1 else ""
        found.setdefault(marker.cms, []).append((weight, f"{marker.says}: {sample}{count}"))
    if scores.get("municipio") and scores.get("wordpress"):
        # Municipio is a WordPress theme: the WordPress markers are its too.
        scores["municipio"] += scores.pop("wordpress")
        found["municipio"] += found.pop("wordpress")
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] < MIN_SCORE:
        weak = [line for _, lines in found.items() for _, line in lines]
        return CmsGuess(
            cms="homegrown",
            confidence="none",
            evidence=("no CMS marker strong enough", *weak),
        )
    cms, score = ranked[0]
    lines = [line for _, line in sorted(found[cms], key=lambda item: -item[0])]
    lines.insert(0, f"{cms}: score {score:g}")
    for other, other_score in ranked[1:]:
        lines.append(f"also seen: {other} (score {other_score:g})")
    confidence = "high" if score >= HIGH_SCORE else "low"
    return CmsGuess(cms=cms, confidence=confidence, evidence=tuple(lines))


def _evidence_strings(
    html: str, url: str, headers: Iterable[tuple[str, str]] | Mapping[str, str]
) -> dict[str, list[str]]:
    """What markers are matched against, by kind of evidence."""
    tree = LexborHTMLParser(html or "")
    seen: dict[str, list[str]] = {
        "generator": [],
        "url": [url],
        "class": [],
        "attr": [],
        "script": [],
        "header": [],
        "cookie": [],
    }
    for meta in tree.css("meta[name]"):
        if (meta.attributes.get("name") or "").lower() == "generator":
            seen["generator"].append(meta.attributes.get("content") or "")
    root = tree.root
    for node in root.traverse() if root is not None else ():
        if not node.is_element_node:
            continue
        attrs = node.attributes
        for name, value in attrs.items():
            if name in _URL_ATTRS and value:
                seen["url"].append(value)
            elif name == "class" and value:
                seen["class"].extend(value.split())
            elif name == "id" and value:
                seen["attr"].append(f"id={value}")
            elif name.startswith("data-"):
                seen["attr"].append(name)
        if node.tag == "script" and not attrs.get("src"):
            seen["script"].append(node.text(deep=True)[:20000])
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    for name, value in pairs:
        name = name.lower()
        seen["header"].append(f"{name}: {value}")
        if name == "set-cookie":
            # Several cookies may come folded into one value ("a=1; path=/, b=2").
            for cookie in _FOLDED_COOKIE_RE.split(value):
                seen["cookie"].append(cookie.split("=", 1)[0].strip().lower())
        elif name == "cookie":
            seen["cookie"].extend(c.split("=", 1)[0].strip().lower() for c in value.split(";"))
    return seen
