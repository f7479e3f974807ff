"""Swedish date parsing: every month, every format municipal pages use, bad dates."""

from __future__ import annotations

import pytest

from scraper.dates import date_from_url, normalize_datetime, parse_date, parse_labelled_dates

SWEDISH_MONTHS = [
    ("januari", 1), ("februari", 2), ("mars", 3), ("april", 4), ("maj", 5), ("juni", 6),
    ("juli", 7), ("augusti", 8), ("september", 9), ("oktober", 10), ("november", 11),
    ("december", 12),
]  # fmt: skip
SWEDISH_ABBREVIATIONS = [
    ("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("maj", 5), ("jun", 6), ("jul", 7),
    ("aug", 8), ("sep", 9), ("sept", 9), ("okt", 10), ("nov", 11), ("dec", 12),
]  # fmt: skip
ENGLISH_MONTHS = [
    ("January", 1), ("February", 2), ("March", 3), ("April", 4), ("May", 5), ("June", 6),
    ("July", 7), ("August", 8), ("September", 9), ("October", 10), ("November", 11),
    ("December", 12), ("Oct", 10), ("Sept", 9),
]  # fmt: skip


@pytest.mark.parametrize(("name", "month"), SWEDISH_MONTHS)
def test_every_swedish_month_name(name: str, month: int) -> None:
    assert parse_date(f"12 {name} 2021") == f"2021-{month:02d}-12"
    assert parse_date(f"Publicerad {name.capitalize()} ... 3 {name} 2019") == f"2019-{month:02d}-03"


@pytest.mark.parametrize(("name", "month"), SWEDISH_ABBREVIATIONS)
def test_every_swedish_abbreviation_with_and_without_dot(name: str, month: int) -> None:
    assert parse_date(f"5 {name} 2018") == f"2018-{month:02d}-05"
    assert parse_date(f"5 {name}. 2018") == f"2018-{month:02d}-05"
    assert parse_date(f"5 {name.upper()} 2018") == f"2018-{month:02d}-05"


@pytest.mark.parametrize(("name", "month"), ENGLISH_MONTHS)
def test_english_month_names_both_orders(name: str, month: int) -> None:
    assert parse_date(f"7 {name} 2022") == f"2022-{month:02d}-07"
    assert parse_date(f"{name} 7, 2022") == f"2022-{month:02d}-07"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-02-28", "2020-02-28"),
        ("2020-02-28 09:15", "2020-02-28T09:15"),
        ("2020-02-28 kl. 09.15", "2020-02-28T09:15"),
        ("2020-2-8", "2020-02-08"),
        ("28 februari 2020", "2020-02-28"),
        ("28 feb. 2020", "2020-02-28"),
        ("28 feb 2020 kl. 09.15", "2020-02-28T09:15"),
        ("28 feb 2020 kl 9.15", "2020-02-28T09:15"),
        ("28 februari 2020 klockan 14:00", "2020-02-28T14:00"),
        ("5 aug. 2019, 13:45", "2019-08-05T13:45"),
        ("8 juni 2015", "2015-06-08"),
        ("08 juni 2015", "2015-06-08"),
        ("Publicerad: 28 feb 2020", "2020-02-28"),
        ("Publicerad: 2020-02-28 09:15", "2020-02-28T09:15"),
        ("den 3 mars 2021", "2021-03-03"),
        ("3:e mars 2021", "2021-03-03"),
        ("fredag 28 februari 2020", "2020-02-28"),
        ("Fredag den 28 februari 2020 kl. 10.00", "2020-02-28T10:00"),
        ("28th February 2020", "2020-02-28"),
        ("3/3 2021", "2021-03-03"),
        ("28/2 2020", "2020-02-28"),
        ("28.2.2020", "2020-02-28"),
        ("28/02/2020", "2020-02-28"),
        ("Nyheter\n2023-11-05\nKommunen bygger", "2023-11-05"),
        # the first date wins, whatever its format
        ("Publicerad 1 mars 2021, uppdaterad 2021-04-01", "2021-03-01"),
        ("Uppdaterad 2021-04-01 (publicerad 1 mars 2021)", "2021-04-01"),
        ("<time>2020-02-28T09:15:00+01:00</time>", "2020-02-28T09:15"),
        ("Publicerad: Fredag 28 feb. 2020, 09:15", "2020-02-28T09:15"),
        # a time range keeps its start
        ("28 februari 2020 kl 14.00-16.00", "2020-02-28T14:00"),
    ],
)
def test_formats(text: str, expected: str) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Ingen datumrad här.",
        "2020-02-30",  # impossible day
        "31 april 2020",
        "29 februari 2021",  # not a leap year
        "2020-13-01",
        "Telefon 0490-25 40 00",
        "Org.nr 212000-0902",
        "Kostar 10.000 kr år 2020",
        "3.3 2021",  # decimal number then a year: not a date
        "februari 2020",  # no day
        "28 februari",  # no year
        "Maja Svensson, 2020",
    ],
)
def test_no_date(text: str) -> None:
    assert parse_date(text) is None


def test_leap_day_is_a_date() -> None:
    assert parse_date("29 februari 2020") == "2020-02-29"


def test_impossible_date_is_skipped_for_the_next_valid_one() -> None:
    assert parse_date("2020-02-30 eller 2020-03-01") == "2020-03-01"


def test_numbers_after_a_date_are_not_a_time() -> None:
    assert parse_date("1 maj 2020 10.000 kr") == "2020-05-01"
    assert parse_date("2020-05-01 12.5 miljoner") == "2020-05-01"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Publicerad: 28 feb 2020 kl. 09.15 Uppdaterad: 2 mars 2020",
            {"published": "2020-02-28T09:15", "updated": "2020-03-02"},
        ),
        ("Publicerad 2020-02-28", {"published": "2020-02-28"}),
        ("Uppdaterad 3 mars 2021", {"updated": "2021-03-03"}),
        ("Senast uppdaterad: 2021-03-03 14:05", {"updated": "2021-03-03T14:05"}),
        ("Ändrad 2019-01-02", {"updated": "2019-01-02"}),
        (
            "Skapad 2019-01-01 Ändrad 2019-01-02",
            {"published": "2019-01-01", "updated": "2019-01-02"},
        ),
        ("Sidan publicerades den 5 maj 2022", {"published": "2022-05-05"}),
        ("Publicerad: fredag den 28 februari 2020", {"published": "2020-02-28"}),
        (
            "Publicerad 12 maj 2021 | Senast ändrad 14 maj 2021 kl. 08.05",
            {"published": "2021-05-12", "updated": "2021-05-14T08:05"},
        ),
        # WordPress with an empty published field
        ("Publicerad: Uppdaterad: 2020-03-02 10:00", {"updated": "2020-03-02T10:00"}),
        # a reviewed date is neither published nor updated
        ("Sidan senast granskad 2024-01-10", {}),
        # a label far from any date says nothing
        ("Publicerad av kommunikationsavdelningen på uppdrag av nämnden 2020-01-01", {}),
        ("Ingen etikett 2020-01-01", {}),
        ("", {}),
    ],
)
def test_labelled_dates(text: str, expected: dict[str, str]) -> None:
    assert parse_labelled_dates(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-02-28", "2020-02-28"),
        ("2020-02-28T09:15", "2020-02-28T09:15"),
        ("2020-02-28T09:15:00", "2020-02-28T09:15"),
        ("2020-02-28 09:15:00", "2020-02-28T09:15"),
        ("2020-02-28T09:15:00+01:00", "2020-02-28T09:15:00+01:00"),
        ("2020-02-28T09:15:00+0100", "2020-02-28T09:15:00+01:00"),
        ("2020-02-28T09:15+01:00", "2020-02-28T09:15:00+01:00"),
        ("2020-02-28T08:15:00Z", "2020-02-28T08:15:00+00:00"),
        ("2020-02-28T09:15:00.000+01:00", "2020-02-28T09:15:00+01:00"),
        ("2020-06-01T09:15:00-04:00", "2020-06-01T09:15:00-04:00"),
        ("2020-02-28T00:00:00", "2020-02-28"),  # midnight, no offset: a date
        ("2020-02-28T00:00:00+01:00", "2020-02-28T00:00:00+01:00"),
        ("20200228", "2020-02-28"),
        ("  2020-02-28\n", "2020-02-28"),
        ("Fri, 28 Feb 2020 09:15:00 +0100", "2020-02-28T09:15:00+01:00"),
        ("Fri, 28 Feb 2020 08:15:00 GMT", "2020-02-28T08:15:00+00:00"),
        ("28 Feb 2020 09:15:00 +0100", "2020-02-28T09:15:00+01:00"),
        ("Fri, 28 Feb 2020 09:15:00 -0000", "2020-02-28T09:15"),
        ("28 februari 2020", "2020-02-28"),
    ],
)
def test_normalize_datetime(value: str, expected: str) -> None:
    assert normalize_datetime(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "2020-02-30",
        "2020-02-28T25:00",
        "nonsense",
        "Fri, 30 Feb 2020 09:15",
        "2020-02-28T09:15+99:99",  # an offset of a day or more: datetime would raise
        "2020-02-28T09:15:00-24:00",
    ],
)
def test_normalize_datetime_rejects(value: str) -> None:
    assert normalize_datetime(value) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.valdemarsvik.se/blog/2020/02/28/brandrisk/", "2020-02-28"),
        ("https://www.x.se/2020/2/8/slug", "2020-02-08"),
        ("https://www.uddevalla.se/nyhetsarkiv/2022-04-01-ny-skola.html", "2022-04-01"),
        ("https://www.x.se/nyheter/ny-skola-2022-04-01/", "2022-04-01"),
        ("/nyheter/2019_12_24_jul.html", "2019-12-24"),
        ("https://www.x.se/nyheter-2022/", None),
        ("https://www.x.se/blog/2020/02/", None),
        ("https://www.x.se/nyheter/2020-02-30-fel.html", None),
        ("https://www.x.se/nyheter/?datum=2020-02-28", None),  # only the path counts
        ("https://www.x.se/Nyheter/Nyheter-2015/Ny-skola/", None),
        ("https://www.x.se/4.12ab34cd5678.html", None),
        ("https://2020-02-28.example.se/", None),  # the host is no path
        ("", None),
    ],
)
def test_date_from_url(url: str, expected: str | None) -> None:
    assert date_from_url(url) == expected
