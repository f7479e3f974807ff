"""Datasette metadata of the archive: descriptions, facets and canned queries.

``build_metadata(database)`` returns the metadata dictionary keyed by the
database's name, so any file name works (``archive.db`` -> ``archive``).
Canned queries call SQL functions that ``scraper.serve.plugin`` registers
on the archive's connections (``swedish_match``, ``atom_time``).
"""

from __future__ import annotations

import copy
import marshal
from typing import Any

from .queries import (
    CHANGES_SQL,
    LATEST_SQL,
    MUNICIPALITY_SQL,
    ORGANISATION_SQL,
    PER_CAPITA_SQL,
    PER_MUNICIPALITY_YEAR_SQL,
    PRESS_INVITATIONS_SQL,
    SEARCH_SQL,
)

__all__ = ["CANNED_QUERIES", "TABLES", "FastCopy", "build_metadata"]

TITLE = "Arkiv över kommunala pressmeddelanden"
DESCRIPTION = (
    "Pressmeddelanden, pressinbjudningar och nyheter från svenska kommuner, hämtade från "
    "kommunernas webbplatser och sparade med alla ändringar. Sök med svensk böjning "
    '(skolor hittar skolan), prefix (skol*), fraser ("nya skolan"), OR och NOT.'
)
LICENSE = "Texterna och bilderna tillhör respektive kommun; arkivets kod: MIT"
SOURCE = "Kommunernas egna webbplatser (se tabellen sources)"

SEARCH_HELP = (
    "Sök i rubrik, ingress och brödtext. Böjningar hittas (skolor → skolan, skola); "
    "å, ä och ö räknas (får före far) men vastervik hittar Västervik. "
    'skol* = prefix, "nya skolan" = fras, skola OR förskola, skola NOT förskola '
    "(eller -förskola). Parametrar: source (kommunens id), from och to (YYYY-MM-DD)."
)

CANNED_QUERIES: dict[str, dict[str, Any]] = {
    "search": {
        "title": "Sök pressmeddelanden",
        "description": SEARCH_HELP + " Sorterat efter relevans; som flöde: search.atom?q=...",
        "sql": SEARCH_SQL,
        "hide_sql": True,
    },
    "latest": {
        "title": "Senaste pressmeddelandena",
        "description": "De 100 senast publicerade i alla kommuner; som flöde: latest.atom.",
        "sql": LATEST_SQL,
        "hide_sql": True,
    },
    "municipality": {
        "title": "En kommuns pressmeddelanden",
        "description": (
            "De 100 senaste från en kommun (source = kommunens id, t.ex. vastervik); "
            "som flöde: municipality.atom?source=vastervik."
        ),
        "sql": MUNICIPALITY_SQL,
        "hide_sql": True,
    },
    "organisation": {
        "title": "En kommuns, regions eller ett läns pressmeddelanden",
        "description": (
            "De 100 senaste från alla källor för en kommun eller region (organisation = "
            "kommunkod eller namn, t.ex. 0883) eller ett län (county = namn eller länskod, "
            "t.ex. 08); som flöde: organisation.atom?county=08."
        ),
        "sql": ORGANISATION_SQL,
        "hide_sql": True,
    },
    "press_invitations": {
        "title": "Pressinbjudningar de senaste veckorna",
        "description": "Pressinbjudningar publicerade de senaste veckorna (weeks, standard 4).",
        "sql": PRESS_INVITATIONS_SQL,
        "hide_sql": True,
    },
    "changes": {
        "title": "Ändrade och borttagna sedan ett datum",
        "description": (
            "Pressmeddelanden som ändrats, tagits bort, flyttats eller publicerats igen "
            "sedan since (YYYY-MM-DD, standard 30 dagar), med ordändringarna. Avgränsa med "
            "organisation (kommunkod, t.ex. 0883), county (län), source eller q (en sökning); "
            "som flöde: changes.atom?organisation=0883."
        ),
        "sql": CHANGES_SQL,
        "hide_sql": True,
    },
    "per_municipality_year": {
        "title": "Pressmeddelanden per kommun och år",
        "description": "Antal per kommun och publiceringsår, uppdelat på typ.",
        "sql": PER_MUNICIPALITY_YEAR_SQL,
    },
    "per_capita": {
        "title": "Pressmeddelanden per 10 000 invånare",
        "description": "Per kommun och år, med folkmängden (SCB, 31 december 2024) och "
        "kommunkoden att koppla till SCB:s statistik. county: ett län (namn eller kod), "
        "eller tomt för hela landet.",
        "sql": PER_CAPITA_SQL,
        "params": ["county"],
    },
}

#: Every table of the archive with its description and its columns' descriptions.
TABLES: dict[str, dict[str, Any]] = {
    "sources": {
        "description": "Kommunerna vars pressmeddelanden arkiveras, en rad per källa.",
        "label_column": "name",
        "columns": {
            "id": "Stabil nyckel för kommunen, t.ex. vastervik",
            "name": "Kommunens namn, t.ex. Västerviks kommun",
            "url": "Listningssidan (eller flödet) som genomsöks",
            "feed_url": "RSS- eller Atom-flöde som listningssidan pekar ut, om något",
            "verified": "1 när adressen har kontrollerats mot den riktiga webbplatsen",
            "overridden": "1 när källan har handskrivna extraktionsregler",
            "last_run": "Senaste körningen mot källan (UTC)",
            "last_success": "Senaste lyckade körningen (UTC)",
            "last_failure": "Senaste misslyckade körningen (UTC)",
            "last_error": "Felet vid senaste misslyckade körningen",
            "failing_since": "Första misslyckade körningen i den pågående raden av fel (tom när "
            "den senaste körningen lyckades)",
            "default_kind": "Typ för pressmeddelanden som inte anger någon (från sources.toml)",
            "body_selector": "Handskriven CSS-väljare för brödtexten, om någon",
            "drop_selectors": "Handskrivna CSS-väljare som tas bort före extraktion (JSON-lista)",
            "date_selector": "Handskriven CSS-väljare för publiceringsdatumet, om någon",
            "resume_url": "Listningssidan där en avbruten genomgång ska fortsätta",
            "organisation": "Kommunen eller regionen som publicerar (organisations.id)",
            "listing_empty_runs": "Körningar i rad då listans första sida inte visade några "
            "pressmeddelanden",
            "proposed_url": "Ny källa som sökandet fann när listan slutade fungera",
            "proposal": "Varför, och vad sökandet fann (belägg)",
            "proposed_at": "När förslaget gjordes (UTC)",
            "healed_from": "Den trasiga adressen i sources.toml som källan bytts från",
            "healed_url": "Adressen källan genomsöks på sedan bytet (heal = switch)",
        },
    },
    "findings": {
        "description": "Vad en körning fann fel på en källa utan att den misslyckades: "
        "fällor (oändliga sidnummer, kalendrar, frågesträngsexplosioner) och nådda budgetar.",
        "hidden": True,
        "columns": {
            "id": "Löpnummer",
            "run_id": "Körningen (runs.id)",
            "source": "Källa (sources.id)",
            "at": "När (UTC)",
            "kind": "trap (fälla) eller budget",
            "detail": "Vad som hittades, med exempel",
        },
    },
    "source_events": {
        "description": "Vad som hänt en källa: listan slutade fungera, förslag, byten.",
        "columns": {
            "id": "Löpnummer",
            "source": "Källan (sources.id)",
            "at": "När (UTC)",
            "event": "listing broken, proposed, switched eller no other source",
            "evidence": "Belägg",
        },
    },
    "discoveries": {
        "description": "Var varje kommun och region publicerar, som scraper discover fann det "
        "från startsidan (en rad per startsida, den senaste).",
        "label_column": "name",
        "columns": {
            "home": "Startsidan som sökandet började på",
            "organisation": "Kommunen eller regionen (organisations.id)",
            "name": "Organisationens namn",
            "final_home": "Dit startsidan ledde efter omdirigeringar",
            "cms": "Webbplatsens publiceringssystem, som det syntes på startsidan",
            "status": "press, news_only (bara nyheter), none eller unreachable",
            "source_url": "Valet: listningssidan, flödet, webbplatskartan eller nyhetsrummet",
            "source_kind": "listing, feed, sitemap eller newsroom",
            "platform": "Nyhetsrummets plattform (mynewsdesk, viatt, cision, notified ...)",
            "releases_seen": "Pressmeddelanden som syntes i valet",
            "requests": "Sidor som hämtades för att hitta det",
            "error": "Varför startsidan inte gick att läsa, om den inte gick",
            "candidates": "Alla kandidater med poäng och belägg (JSON)",
            "discovered_at": "När (UTC)",
        },
    },
    "organisation_coverage": {
        "description": "Varje kommun och region: var den publicerar (enligt scraper discover), "
        "källor och pressmeddelanden i arkivet.",
        "label_column": "name",
        "columns": {
            "status": "press, news_only, none, unreachable eller not discovered",
            "source_url": "Källan sökandet valde",
            "sources": "Källor i arkivet för organisationen",
            "releases": "Pressmeddelanden i arkivet för organisationen",
        },
    },
    "coverage_gaps": {
        "description": "Länkar till pressmeddelanden som listorna visat men som inte finns i "
        "arkivet, med skälet.",
        "columns": {
            "url": "Länken som listan, flödet eller webbplatskartan visade",
            "listed_at": "När den senast syntes (UTC)",
            "reason": "Varför den inte är arkiverad (hämtningsfel och antal försök, "
            "extraktorns skäl, väntar i kön ...)",
        },
    },
    "organisations": {
        "description": "Sveriges 290 kommuner och 21 regioner (registret som följer med "
        "paketet): kommunkod, län och folkmängd, för att koppla arkivet till SCB:s statistik.",
        "label_column": "name",
        "columns": {
            "id": "Kommunkoden (t.ex. 0883), eller R och länskoden för en region (t.ex. R08)",
            "kind": "kommun eller region",
            "name": "Officiellt namn, t.ex. Västerviks kommun",
            "county_code": "Länskod, två siffror",
            "county": "Länets namn, t.ex. Kalmar län",
            "kommunkod": "SCB:s kommunkod (tom för en region)",
            "org_number": "Organisationsnummer, där det är känt",
            "population": "Folkmängd 31 december population_year (SCB)",
            "population_year": "Året folkmängden gäller",
            "domain": "Webbdomän, t.ex. vastervik.se",
            "homepage": "Startsidan, där sökandet efter källor börjar",
        },
    },
    "releases": {
        "description": (
            "Ett pressmeddelande, en pressinbjudan eller en nyhet per rad, i sin senaste "
            "version. Äldre versioner finns i revisions, händelser i events."
        ),
        "sort_desc": "published",
        "facets": ["source", "kind", "year", "language"],
        "label_column": "title",
        # No fts_table: Datasette's own _search filter would read every match;
        # scraper.serve.table_search takes its place (the newest WINDOW matches).
        "columns": {
            "id": "Arkivets nummer för pressmeddelandet",
            "source": "Kommunen (sources.id)",
            "url": "Kanonisk adress hos kommunen: pressmeddelandets identitet",
            "title": "Rubrik",
            "kind": "Typ: Pressmeddelande, Pressinbjudan, Nyhet …; tom när okänd",
            "published": "Publiceringsdag enligt sidan (YYYY-MM-DD)",
            "published_time": (
                "Publiceringstid när sidan anger klockslag (YYYY-MM-DDTHH:MM, med tidszon när "
                "sidans metadata har den), annars tomt"
            ),
            "published_source": "Var publiceringsdatumet hittades (json-ld, meta, time, text …)",
            "updated": "Uppdaterad enligt sidan, om den säger det",
            "updated_source": "Var uppdateringsdatumet hittades",
            "lead": "Ingress, när sidan markerar en",
            "body": "Brödtext utan sidans navigering och kontaktrutor; stycken skiljs av tomrad",
            "language": "Språk (ISO 639-1), t.ex. sv",
            "year": "Publiceringsår (för facetter)",
            "first_seen": "När arkivet först såg pressmeddelandet (UTC)",
            "last_seen": "När arkivet senast såg det hos kommunen (UTC)",
            "last_fetched": "När sidan senast hämtades (UTC)",
            "content_hash": "SHA-256 av rubrik, datum, ingress och brödtext",
            "version_seen": "När den nuvarande versionen först sågs (UTC)",
            "changed_at": "Senaste gången innehållet ändrades (UTC)",
            "removed_at": "När det försvann från kommunens webbplats (UTC); tomt om det finns kvar",
            "removal_evidence": "Vad som visade att det tagits bort (t.ex. HTTP 404)",
            "last_listed": "När det senast stod i kommunens lista (UTC)",
            "extractor_version": "Version av extraktorn som skrev raden",
            "page_id": "Den sparade råsidan som texten kommer från (pages.id)",
            "search_key": "Söknyckel: publiceringsdag och nummer (sökindexets ordning)",
            "redirect_away_since": "När sidan först sågs skicka vidare till listan eller "
            "startsidan (tom när den svarar som vanligt)",
            "template_hash": "Fingeravtryck av webbplatsens inlärda mall när texten extraherades",
            "thin": "1 för ett kort pressmeddelande (rubrik och datum, en mening eller två)",
            "cut": "Fält som kortades till sin längdgräns (t.ex. title, lead), kommaseparerade",
        },
    },
    "release_stems": {
        "description": (
            "Sökindexets text: varje pressmeddelandes ord stammade och utan diakritiska "
            "tecken, och filtren (kommun, typ). Bara för sökningen."
        ),
        "columns": {
            "release_id": "Pressmeddelandet (releases.id)",
            "stems": "Orden stammade och utan diakritiska tecken, i textens ordning",
            "tags": "Kommunens och typens sökord (xs…, xk…) och rubrikens ordstammar (tt…)",
        },
    },
    "search_terms": {
        "description": (
            "Sökindexets ord på minst fem tecken, per kolumngrupp: en sökning på ett "
            "långt prefix (kommun*) blir orden som börjar så. Bara för sökningen."
        ),
        "hidden": True,
        "columns": {
            "grp": "Var ordet står: text (rubrik, ingress, brödtext), stems eller tags "
            "(rubrikens ordstammar)",
            "term": "Ordet som sökindexet har det",
        },
    },
    "search_terms_queue": {
        "description": (
            "Pressmeddelanden som indexerats men vars ord inte lagts till search_terms "
            "ännu (tom utom mitt i en skrivning)."
        ),
        "hidden": True,
        "columns": {"release_id": "Pressmeddelandet (releases.id)"},
    },
    "search_terms_source": {
        "description": "Sökindexets definition som search_terms lästes ur.",
        "hidden": True,
        "columns": {"sql": "Sökindexets CREATE-sats"},
    },
    "release_counts": {
        "description": (
            "Antal pressmeddelanden per källa, år, typ och borttagna, hållna aktuella av "
            "databasen vid varje skrivning: statistiken läser dem i stället för att räkna "
            "alla pressmeddelanden."
        ),
        "columns": {
            "source": "Källan (sources.id)",
            "year": "Publiceringsår; 0 när det är okänt",
            "kind": "Typ; tom när den är okänd",
            "removed": "1 för pressmeddelanden som tagits bort från kommunens webbplats",
            "n": "Antal",
        },
    },
    "release_urls": {
        "description": "Varje adress ett pressmeddelande har setts på (flyttar, omdirigeringar).",
        "columns": {
            "url": "Adressen",
            "release_id": "Pressmeddelandet (releases.id)",
            "first_seen": "När adressen först sågs (UTC)",
        },
    },
    "images": {
        "description": "Bilder i pressmeddelandena, i sidans ordning.",
        "columns": {
            "release_id": "Pressmeddelandet (releases.id)",
            "position": "Ordning på sidan, från 0",
            "url": "Bildens adress hos kommunen",
            "alt": "Alternativtext",
            "caption": "Bildtext",
        },
    },
    "attachments": {
        "description": "Bifogade filer (pdf, dokument) som pressmeddelandena länkar till.",
        "columns": {
            "release_id": "Pressmeddelandet (releases.id)",
            "position": "Ordning på sidan, från 0",
            "url": "Filens adress hos kommunen",
            "title": "Länktext eller filnamn",
            "mime_type": "Filtyp, t.ex. application/pdf",
        },
    },
    "revisions": {
        "description": "Tidigare versioner av pressmeddelanden som ändrats efter publicering.",
        "columns": {
            "id": "Versionens nummer",
            "release_id": "Pressmeddelandet (releases.id)",
            "title": "Rubriken i den här versionen",
            "lead": "Ingressen i den här versionen",
            "body": "Brödtexten i den här versionen",
            "published": "Publiceringsdagen i den här versionen",
            "published_time": "Publiceringstiden i den här versionen, när sidan angav klockslag",
            "content_hash": "SHA-256 av versionens innehåll",
            "first_seen": "När versionen först sågs (UTC)",
            "last_seen": "När versionen senast sågs (UTC)",
            "page_id": "Råsidan versionen kommer från (pages.id)",
            "diff": "Ordändringar mot nästa version: [-borttaget-] {+tillagt+}",
        },
    },
    "events": {
        "description": (
            "Händelser i pressmeddelandenas liv: ändrat, borttaget, återställt, flyttat."
        ),
        "columns": {
            "id": "Händelsens nummer",
            "release_id": "Pressmeddelandet (releases.id)",
            "at": "När (UTC)",
            "event": "changed, removed, restored eller moved",
            "evidence": "Belägg: statuskod, omdirigering, hashändring …",
        },
    },
    "pages": {
        "description": "Råa hämtade sidor (oföränderliga); innehållet ligger i bodies.",
        "columns": {
            "id": "Sidans nummer",
            "source": "Kommunen (sources.id)",
            "url": "Begärd adress",
            "final_url": "Adress efter omdirigeringar",
            "status": "HTTP-status",
            "headers": "Svarshuvuden (JSON)",
            "fetched_at": "När sidan hämtades (UTC)",
            "body_hash": "SHA-256 av råa bytes (bodies.hash)",
            "encoding": "Teckenkodning som användes",
            "run_id": "Körningen som hämtade sidan (runs.id)",
        },
    },
    "bodies": {
        "description": "Råa sidinnehåll, zstd-komprimerade, en gång per unikt innehåll.",
        "hidden": True,
        "columns": {
            "hash": "SHA-256 av råa bytes",
            "size": "Storlek okomprimerad (bytes)",
            "compression": "Komprimering (zstd)",
            "data": "Komprimerade bytes",
        },
    },
    "media": {
        "description": (
            "Arkiverade bilder och bilagor, en gång per unikt innehåll; visas på "
            "/<databas>/-/media/<sha256>."
        ),
        "hidden": True,
        "columns": {
            "sha256": "SHA-256 av filens bytes",
            "content_type": "Filtypen, läst ur filens första bytes när den känns igen",
            "size": "Storlek (bytes)",
            "chunks": "Antal delar i media_chunks",
        },
    },
    "media_chunks": {
        "description": "De arkiverade filernas bytes, i delar om högst 1 MiB.",
        "hidden": True,
        "columns": {
            "sha256": "Filen (media.sha256)",
            "seq": "Delens nummer, från 0",
            "data": "Delens bytes",
        },
    },
    "release_media": {
        "description": "Pressmeddelandenas bilder och bilagor: arkiverade eller varför inte.",
        "columns": {
            "release_id": "Pressmeddelandet (releases.id)",
            "url": "Filens adress på kommunens webbplats",
            "kind": "image (bild) eller attachment (bilaga)",
            "sha256": "Den arkiverade filen (media.sha256), tomt om den inte arkiverades",
            "status": (
                "archived, failed (försöks igen nästa körningar), too large (över taket), "
                "refused (annan webbplats, inte en bild, förbjuden i robots.txt)"
            ),
            "error": "Varför filen inte arkiverades",
            "attempts": "Antal försök",
            "fetched_at": "Senaste försöket (UTC)",
        },
    },
    "http_cache": {
        "description": "Valideringsdata (ETag, Last-Modified) för villkorliga hämtningar.",
        "hidden": True,
        "columns": {
            "url": "Adressen",
            "etag": "Senaste ETag",
            "last_modified": "Senaste Last-Modified",
            "status": "Senaste HTTP-status",
            "fetched_at": "När (UTC)",
            "body_hash": "Innehållets SHA-256 (bodies.hash)",
        },
    },
    "hints": {
        "description": "Det listningen, flödet eller sitemapen visade bredvid varje "
        "pressmeddelande (rubrik, datum, typ); används när sidan själv inte säger det.",
        "hidden": True,
        "columns": {
            "url": "Pressmeddelandets adress",
            "source": "Källan (sources.id)",
            "title": "Rubriken i listningen",
            "published": "Datumet i listningen",
            "kind": "Typen i listningen",
            "updated": "Sitemapens lastmod eller flödets uppdateringstid",
            "seen_at": "När listningen senast visade detta (UTC)",
        },
    },
    "robots": {
        "description": "Senast hämtade robots.txt per webbplats.",
        "hidden": True,
        "columns": {
            "url": "Adressen till robots.txt",
            "status": "HTTP-status",
            "text": "Filens innehåll",
            "fetched_at": "När den hämtades (UTC)",
        },
    },
    "site_templates": {
        "description": "Vad varje webbplats upprepar på alla sidor (inlärt sidskräp).",
        "hidden": True,
        "columns": {
            "source": "Kommunen (sources.id)",
            "pages": "Antal sidor mallen lärdes från",
            "blocks": "JSON-lista av [fingeravtryck, andel]",
            "threshold": "Andel över vilken ett block räknas som sidskräp",
            "learned_at": "När mallen lärdes (UTC)",
            "provisional": "1: lärd av en körnings första sidor, lärs om i slutet av körningen",
        },
    },
    "frontier": {
        "description": "Upptäckta adresser som ännu inte hämtats och sparats (kö).",
        "hidden": True,
        "columns": {
            "url": "Adressen",
            "source": "Kommunen (sources.id)",
            "title": "Rubrik enligt listan",
            "published": "Datum enligt listan",
            "kind": "Typ enligt listan",
            "discovered_at": "När adressen upptäcktes (UTC)",
            "attempts": "Misslyckade försök hittills",
            "last_error": "Senaste felet",
        },
    },
    "runs": {
        "description": "Körningar av scraper update.",
        "sort_desc": "id",
        "columns": {
            "id": "Körningens nummer",
            "started": "Start (UTC)",
            "finished": "Slut (UTC)",
            "status": "running, ok, failed eller killed",
            "options": "Flaggor (JSON)",
            "pid": "Processens id",
            "summary": "Sammanfattning per källa (JSON)",
        },
    },
    "fetches": {
        "description": "Varje HTTP-begäran en körning gjorde.",
        "sort_desc": "id",
        "facets": ["source", "purpose", "outcome"],
        "columns": {
            "id": "Begärans nummer",
            "run_id": "Körningen (runs.id)",
            "source": "Kommunen (sources.id)",
            "url": "Adressen",
            "purpose": "robots, listing eller release",
            "status": "HTTP-status",
            "bytes": "Storlek (bytes)",
            "elapsed": "Tid i sekunder, omförsök inräknade",
            "attempts": "Antal försök",
            "outcome": "new, changed, unchanged, not-modified, failed eller skipped",
            "error": "Felmeddelande",
            "at": "När (UTC)",
        },
    },
}


def _queries(database: str) -> dict[str, dict[str, Any]]:
    queries = copy.deepcopy(CANNED_QUERIES)
    queries["search"]["description"] += (
        f" Nyast först i stället: /{database}/releases?_search=... (samma sökning)."
    )
    return queries


class FastCopy(dict):  # type: ignore[type-arg]
    """Metadata whose deep copy is made in C (marshal) instead of ``copy.deepcopy``.

    Datasette 0.65 deep-copies the whole metadata on every permission check,
    about six times a page: ~0.4 ms each for the archive's 25 kB of
    descriptions and queries. The copy is the same plain data either way.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        try:
            return marshal.loads(marshal.dumps(dict(self)))  # type: ignore[no-any-return]
        except ValueError:  # something marshal cannot write: the slow, general copy
            return {k: copy.deepcopy(v, memo) for k, v in self.items()}


def build_metadata(
    database: str,
    *,
    title: str = TITLE,
    license: str = LICENSE,
    license_url: str | None = None,
    source_url: str | None = None,
) -> dict[str, Any]:
    """Return Datasette metadata for the archive served under the name ``database``.

    :param database: the name Datasette gives the file (its stem: ``archive.db`` -> archive).
    :param title: the archive's title, for a published instance.
    :param license: the licence note shown on every page.
    :param license_url: where the licence is spelled out, if anywhere.
    :param source_url: where the archive (or its code) comes from, if published.
    """
    metadata: dict[str, Any] = {
        "title": title,
        "description": DESCRIPTION,
        "license": license,
        "source": SOURCE,
        "databases": {
            database: {
                "title": title,
                "description": DESCRIPTION,
                "tables": copy.deepcopy(TABLES),
                "queries": _queries(database),
            }
        },
        "plugins": {"scraper": {"databases": [database]}},
    }
    if license_url:
        metadata["license_url"] = license_url
    if source_url:
        metadata["source_url"] = source_url
    return FastCopy(metadata)
