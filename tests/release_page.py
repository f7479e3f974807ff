"""A small synthetic release page: one behaviour per test of the extraction modules."""

from __future__ import annotations

PAGE = """<!doctype html><html lang="{lang}"><head><title>{title} - Ekås kommun</title>
<meta property="og:site_name" content="Ekås kommun">{head}</head><body>
<a href="#main" class="skip-link">Gå direkt till innehåll</a>
<div class="cookie-banner"><p>Vi använder kakor för att webbplatsen ska fungera.</p></div>
<nav><ul><li><a href="/">Start</a></li><li><a href="/nyheter/">Nyheter</a></li></ul></nav>
<main><div class="page">{before}<h1>{title}</h1>{after}</div></main>
<footer><p>Ekås kommun, 123 45 Ekås. Telefon 0123-456 78.</p></footer></body></html>"""

PARAGRAPHS = (
    "<p>Kommunfullmäktige beslutade på måndagen att bygga en ny förskola i centrala Ekås. "
    "Bygget startar under hösten och förskolan ska stå klar till sommaren 2026.</p>"
    "<p>– Vi är glada att kunna erbjuda fler platser, säger barn- och utbildningschefen "
    "Anna Berg. Efterfrågan har ökat stadigt under de senaste åren.</p>"
)


def release_page(
    *, title: str = "Ny förskola i Ekås", before: str = "", after: str = "", head: str = ""
) -> str:
    """The page with ``before`` and ``after`` around its <h1> (``after`` defaults to PARAGRAPHS)."""
    return PAGE.format(title=title, before=before, after=after or PARAGRAPHS, head=head, lang="sv")
