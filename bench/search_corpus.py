"""Synthetic archives of Swedish press releases, written through the project's own store.

The words, publishers, dates and texts; ``search_build.py`` writes them into an
archive. Every release is a ``scraper.records.Release`` saved with ``Archive.save_release``
(schema, stems by ``stem_document``, FTS triggers: whatever the installed
``scraper`` package does), so running this file with another worktree's venv
builds that branch's archive. Run it with the venv whose code should write.

What the archive is made of (see ``Vocabulary`` and ``plan_releases``):

- words: Swedish word frequencies from the ``wordfreq`` package (its "large"
  Swedish list: Wikipedia, subtitles, news, web text; CC-BY-SA data), the
  100,000 commonest alphabetic words, mixed 4:1 with the words of the 116
  hand-checked fixture releases (``fixtures/sites/*/expected``) so municipal
  vocabulary ("kommunen", "ordförande", "kronor") weighs as it does in real
  releases; chat words of the subtitles ("jag", "hej", "okej") weigh a tenth;
- bodies of 150-600 words (log-normal, median 300) in paragraphs of sentences
  drawn from that distribution, with quotes ("– ..., säger Anna Lind,
  förvaltningschef."), numbers and a contact line; a lead on 60 %; titles of
  3-9 words, some with the kind's prefix or "i <ort>";
- the 290 municipalities and 21 regions of ``scraper/data`` with volume
  proportional to the square root of the population (about 20x between the
  largest and the smallest), each with its archive starting in 2005-2016 and
  more releases in later years, up to 2026-11-30; kinds Pressmeddelande (55 %),
  Nyhet (35 %), Pressinbjudan (10 %);
- insertion in the order of a real first crawl: 8 sources at a time, each
  walked newest to oldest, interleaved.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_RELEASES = ROOT / "fixtures" / "sites"
KINDS = (("Pressmeddelande", 0.55), ("Nyhet", 0.35), ("Pressinbjudan", 0.10))
CRAWL_CONCURRENCY = 8
LAST_DAY = date(2026, 11, 30)


def _wordlist(text: str) -> list[str]:
    return text.split()


#: Function words (the Snowball Swedish stop list and a few more): not "content words".
STOPWORDS = frozenset(
    _wordlist("""
    och det att i en jag hon som han på den med var sig för så till är men ett om hade de
    av icke mig du henne då sin nu har inte hans honom skulle hennes där min man ej vid kunde
    något från ut när efter upp vi dem vara vad över än dig kan sina här ha mot alla under
    någon eller allt mycket sedan ju denna själv detta åt utan varit hur ingen mitt ni bli
    blev oss din dessa några deras blir mina samma vilken er sådan vår blivit dess inom mellan
    sådant varför varje vilka ditt vem vilket sitta sådana vart dina vars vårt våra ert era
    vilkas ska finns får bara också kommer vill måste kunna göra gör mer fler många nya ny
    nytt andra annat två tre säger även redan dock genom hos sina sitt ta tar få fått gå går
    ge ger se ser väl ens igen just nog ingen inget inga helt hela mest vilken kanske lite
    dom the to of and a e s""")
)
#: Words of conversation, frequent in subtitles but rare in press releases.
CHAT_WORDS = frozenset(
    _wordlist("""
    jag du dig mig din ditt dina hej okej ok ja nej tack va fan nåt nån vet tror tycker
    förlåt snälla hallå mamma pappa älskar kul jävla jävligt""")
)
FIRST_NAMES = _wordlist("""
    Anna Eva Maria Karin Sara Lena Kerstin Emma Ingrid Malin Johanna Linda Sofia
    Erik Lars Karl Anders Johan Per Nils Mikael Jan Hans Peter Fredrik Daniel Magnus Viktor
    Göran Åsa Björn Ulf Marie Cecilia Jonas Helena Henrik Elin""")
LAST_NAMES = _wordlist("""
    Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson
    Gustafsson Pettersson Jonsson Jansson Hansson Bengtsson Lindberg Lindström Lindqvist
    Lind Berg Bergström Lundgren Lundberg Holm Eklund Haglind Sandberg Forsberg Sjöberg
    Wallin Engström Danielsson Håkansson Björk Nyström Åberg Öberg""")
ROLES = (
    "kommunstyrelsens ordförande",
    "kommundirektör",
    "förvaltningschef",
    "projektledare",
    "kommunikatör",
    "skolchef",
    "miljöchef",
    "räddningschef",
    "socialnämndens ordförande",
    "regionstyrelsens ordförande",
    "enhetschef",
    "planarkitekt",
)


# --------------------------------------------------------------------------
# Words


@dataclass(frozen=True)
class Vocabulary:
    """Words by descending probability, with cumulative weights for sampling."""

    words: tuple[str, ...]
    cum_weights: tuple[float, ...]
    source: str

    def sample(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cum_weights, k=k)

    def content_words(self) -> list[str]:
        """Words by rank that a journalist would search for (no function words)."""
        return [w for w in self.words if w not in STOPWORDS and len(w) >= 3]

    def probability(self, rank: int) -> float:
        previous = self.cum_weights[rank - 1] if rank else 0.0
        return (self.cum_weights[rank] - previous) / self.cum_weights[-1]


def fixture_word_counts(root: Path = FIXTURE_RELEASES) -> Counter[str]:
    """Word counts of the fixture releases' hand-checked title, lead and body."""
    counts: Counter[str] = Counter()
    for path in sorted(root.glob("*/expected/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        text = " ".join(data.get(k) or "" for k in ("title", "lead", "body"))
        counts.update(w for w in _words(text) if w.isalpha())
    return counts


def _words(text: str) -> list[str]:
    return "".join(ch if ch.isalnum() else " " for ch in text.lower()).split()


def load_vocabulary(
    *, size: int = 100_000, local_share: float = 0.2, general: dict[str, float] | None = None
) -> Vocabulary:
    """The word distribution: wordfreq's Swedish list mixed with the fixture releases' words.

    ``general`` replaces wordfreq's list (word -> frequency), for tests.
    """
    source = "fixture releases only"
    if general is None:
        import wordfreq  # bench-only dependency: pip install -e '.[bench]'

        general = wordfreq.get_frequency_dict("sv", wordlist="large")
        source = f"wordfreq {_version('wordfreq')} sv large + fixture releases"
    top = sorted(
        ((w, f) for w, f in general.items() if w.isalpha() and (len(w) > 1 or w in "iåö")),
        key=lambda item: (-item[1], item[0]),
    )[:size]
    general_total = sum(f for _, f in top) or 1.0
    local = fixture_word_counts()
    local_total = sum(local.values()) or 1
    weights: dict[str, float] = {}
    for word, freq in top:
        weights[word] = (1 - local_share) * freq / general_total
    for word, count in local.items():
        weights[word] = weights.get(word, 0.0) + local_share * count / local_total
    for word in CHAT_WORDS & weights.keys():
        weights[word] *= 0.1
    ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
    return Vocabulary(
        words=tuple(w for w, _ in ranked),
        cum_weights=tuple(itertools.accumulate(p for _, p in ranked)),
        source=source,
    )


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


# --------------------------------------------------------------------------
# Who publishes what, when


@dataclass(frozen=True)
class Publisher:
    """A municipality or region as a source of releases."""

    source: str  # source id, e.g. "vastervik"
    name: str  # "Västerviks kommun"
    organisation: str  # kommunkod or "R" + county code
    domain: str
    place: str  # seat or region name, for "i <ort>"
    population: int


def load_publishers() -> list[Publisher]:
    """The 290 municipalities and 21 regions of the registry shipped with ``scraper``."""
    data = resources.files("scraper").joinpath("data")
    municipalities = list(
        csv.DictReader(data.joinpath("municipalities.csv").open(encoding="utf-8"))
    )
    regions = list(csv.DictReader(data.joinpath("regions.csv").open(encoding="utf-8")))
    county_population: Counter[str] = Counter()
    publishers = []
    for row in municipalities:
        population = int(row["population"] or 10_000)
        county_population[row["county_code"]] += population
        publishers.append(
            Publisher(
                source=_source_id(row["domain"]),
                name=row["name"],
                organisation=row["kommunkod"],
                domain=row["domain"],
                place=row["seat"] or row["name"].rsplit(" ", 1)[0],
                population=population,
            )
        )
    taken = {p.source for p in publishers}
    for row in regions:
        source = _source_id(row["domain"])
        publishers.append(
            Publisher(
                # Region Gotland is the municipality's own site: a source of its own.
                source=source + "-region" if source in taken else source,
                name=row["name"],
                organisation="R" + row["county_code"],
                domain=row["domain"],
                place=row["name"],
                population=county_population[row["county_code"]],
            )
        )
    return publishers


def _csv(path: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))


def _source_id(domain: str) -> str:
    return domain.removesuffix(".se").replace(".", "-")


def release_counts(publishers: list[Publisher], total: int) -> dict[str, int]:
    """Releases per source, proportional to the square root of the population."""
    weights = {p.source: math.sqrt(p.population) for p in publishers}
    scale = total / sum(weights.values())
    counts = {s: int(w * scale) for s, w in weights.items()}
    for source in sorted(weights, key=weights.get, reverse=True)[: total - sum(counts.values())]:
        counts[source] += 1
    return counts


@dataclass(frozen=True)
class Planned:
    """One release to write: who, when, and the seed of its text."""

    publisher: Publisher
    published: str
    kind: str
    seed: int
    number: int  # distinct within the archive (URLs)


def _publication_dates(rng: random.Random, count: int) -> list[date]:
    """``count`` dates newest first, from an archive start in 2005-2016, denser lately."""
    start = date(rng.randint(2005, 2016), rng.randint(1, 12), 1)
    span = (LAST_DAY - start).days
    days = [start + timedelta(days=int(span * rng.random() ** (1 / 1.6))) for _ in range(count)]
    return sorted(days, reverse=True)


def plan_releases(publishers: list[Publisher], *, total: int, seed: int) -> Iterator[Planned]:
    """Every release in the order a first crawl writes them (8 sources at once, newest first)."""
    rng = random.Random(seed)
    counts = release_counts(publishers, total)
    queues: list[Iterator[Planned]] = []
    number = itertools.count(1)
    kinds, kind_weights = zip(*KINDS, strict=True)

    def walk(publisher: Publisher, own: random.Random) -> Iterator[Planned]:
        # A source's own mix of kinds: some publish only news.
        mix = [w * own.uniform(0.3, 1.7) for w in kind_weights]
        for day in _publication_dates(own, counts[publisher.source]):
            published = day.isoformat()
            if own.random() < 0.5:
                published += f"T{own.randint(7, 17):02d}:{own.choice((0, 15, 30, 45)):02d}"
            yield Planned(
                publisher=publisher,
                published=published,
                kind=own.choices(kinds, weights=mix)[0],
                seed=own.getrandbits(64),
                number=next(number),
            )

    waiting = [walk(p, random.Random(rng.getrandbits(64))) for p in publishers]
    waiting.reverse()
    while waiting or queues:
        while waiting and len(queues) < CRAWL_CONCURRENCY:
            queues.append(waiting.pop())
        for queue in list(queues):
            item = next(queue, None)
            if item is None:
                queues.remove(queue)
            else:
                yield item


# --------------------------------------------------------------------------
# Text


def _sentence(rng: random.Random, vocab: Vocabulary, n: int) -> str:
    words = vocab.sample(rng, n)
    if rng.random() < 0.15:
        words.insert(rng.randrange(len(words)), str(rng.choice((rng.randint(2, 500), 2026))))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}, {rng.choice(ROLES)}"


def write_text(plan: Planned, vocab: Vocabulary) -> tuple[str, str | None, str]:
    """Title, lead and body of a planned release (deterministic by its seed)."""
    rng = random.Random(plan.seed)
    place = plan.publisher.place
    wanted = rng.randint(3, 9)
    title_words: list[str] = []
    while len(title_words) < wanted:
        title_words += [w for w in vocab.sample(rng, 8) if w not in STOPWORDS]
    title = " ".join(title_words[:wanted])
    title = title[0].upper() + title[1:]
    if rng.random() < 0.3:
        title += f" i {place}"
    if plan.kind != "Nyhet" and rng.random() < 0.3:
        title = f"{plan.kind}: {title}"
    lead = None
    if rng.random() < 0.6:
        lead = " ".join(
            _sentence(rng, vocab, rng.randint(10, 22)) for _ in range(rng.randint(1, 2))
        )
    target = min(600, max(150, round(300 * math.exp(rng.gauss(0, 0.35)))))
    paragraphs: list[str] = []
    written = 0
    mention = f"{plan.publisher.name} " if rng.random() < 0.7 else ""
    while written < target:
        sentences = []
        for _ in range(rng.randint(2, 4)):
            n = min(rng.randint(8, 22), max(3, target - written))
            sentences.append(_sentence(rng, vocab, n))
            written += n
            if written >= target:
                break
        paragraphs.append(" ".join(sentences))
        if rng.random() < 0.15:
            quote = _sentence(rng, vocab, rng.randint(8, 18))[:-1]
            paragraphs.append(f"– {quote}, säger {_person(rng)}.")
            written += 12
    if mention:
        paragraphs[0] = f"{mention}{paragraphs[0][0].lower()}{paragraphs[0][1:]}"
    if rng.random() < 0.6:
        digits = " ".join(str(rng.randint(10, 99)) for _ in range(3))
        phone = f"0{rng.randint(10, 980)}-{digits}"
        paragraphs.append(f"För mer information, kontakta {_person(rng)}, telefon {phone}.")
    return title, lead, "\n\n".join(paragraphs)


def make_release(plan: Planned, vocab: Vocabulary) -> object:
    """The ``scraper.records.Release`` of a planned release."""
    from scraper.records import Image, Release

    title, lead, body = write_text(plan, vocab)
    url = f"https://www.{plan.publisher.domain}/nyheter/{plan.published[:4]}/r{plan.number}/"
    images = ()
    if plan.seed % 2:
        images = (Image(url=url + "bild.jpg", alt=title[:60], caption=None),)
    return Release(
        url=url,
        canonical_url=url,
        title=title,
        kind=plan.kind,
        published=plan.published,
        published_source="meta",
        updated=None,
        updated_source=None,
        lead=lead,
        body=body,
        language="sv",
        images=images,
    )
