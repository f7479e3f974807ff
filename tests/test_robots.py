"""scraper.fetch.robots on its own: what each robots.txt answer lets us fetch, and how slowly."""

from __future__ import annotations

import pytest

from scraper.fetch.robots import RobotsRules, RobotsTxt, is_definite
from scraper.fetch.useragent import user_agent
from scraper.records import Settings

#: What we send: "scraper/<version> (+<contact>)".
AGENT = user_agent(Settings())
SITE = "https://www.vastervik.se"

ROBOTS = """\
User-agent: scraper
Disallow: /intern/
Crawl-delay: 2

User-agent: *
Disallow: /
Crawl-delay: 30
"""


def test_our_default_agent_is_matched_by_its_product_token() -> None:
    rules = RobotsRules.answered(200, ROBOTS)
    assert rules.can_fetch(f"{SITE}/nyheter/pressmeddelanden/", AGENT)
    assert not rules.can_fetch(f"{SITE}/intern/lista", AGENT)
    assert rules.min_gap(AGENT) == 2.0


def test_other_agents_get_the_star_group() -> None:
    rules = RobotsRules.answered(200, ROBOTS)
    assert not rules.can_fetch(f"{SITE}/nyheter/pressmeddelanden/", "otherbot/1.0")
    assert rules.min_gap("otherbot/1.0") == 30.0


def test_star_group_applies_to_us_when_no_group_names_us() -> None:
    rules = RobotsRules.answered(
        200, "User-agent: *\nDisallow: /sok\n\nUser-agent: bingbot\nDisallow: /\n"
    )
    assert rules.can_fetch(f"{SITE}/nyheter/", AGENT)
    assert not rules.can_fetch(f"{SITE}/sok?q=skola", AGENT)


def test_custom_user_agent_is_matched_too() -> None:
    agent = user_agent(Settings(user_agent="kommunarkiv/2.0 (+https://example.org/om)"))
    rules = RobotsRules.answered(200, "User-agent: kommunarkiv\nDisallow: /\n")
    assert not rules.can_fetch(f"{SITE}/nyheter/", agent)
    assert rules.can_fetch(f"{SITE}/nyheter/", AGENT)


def test_disallowed_url_gives_the_robots_reason() -> None:
    rules = RobotsRules.answered(200, ROBOTS)
    assert rules.reason == "disallowed by robots.txt"
    assert not rules.unavailable


@pytest.mark.parametrize("text", ["", "# nothing here\n", "<html>not a robots.txt</html>"])
def test_2xx_without_rules_allows_everything(text: str) -> None:
    rules = RobotsRules.answered(200, text)
    assert rules.can_fetch(f"{SITE}/intern/", AGENT)
    assert rules.min_gap(AGENT) == 0.0


@pytest.mark.parametrize("status", [301, 304, 400, 401, 403, 404, 410, 451])
def test_3xx_and_4xx_answers_allow_everything(status: int) -> None:
    # Whatever text came with it: a 404 page is not a robots.txt.
    rules = RobotsRules.answered(status, "User-agent: *\nDisallow: /\nCrawl-delay: 9\n")
    assert rules.parser is None
    assert rules.can_fetch(f"{SITE}/intern/", AGENT)
    assert rules.min_gap(AGENT) == 0.0
    assert not rules.unavailable


def test_unreachable_robots_disallows_everything_with_a_reason() -> None:
    rules = RobotsRules.unreachable("service unavailable after 3 attempts")
    assert not rules.can_fetch(f"{SITE}/", AGENT)
    assert not rules.can_fetch(f"{SITE}/robots.txt", AGENT)
    assert rules.unavailable
    assert rules.reason == (
        "robots.txt unavailable (service unavailable after 3 attempts): "
        "host disallowed for this run"
    )
    assert rules.min_gap(AGENT) == 0.0


@pytest.mark.parametrize("status", [300, 301, 308, 400, 403, 404, 410, 499])
def test_redirect_and_client_errors_are_definite(status: int) -> None:
    assert is_definite(status)


@pytest.mark.parametrize("status", [200, 429, 500, 503, 504, 599])
def test_rate_limits_and_server_errors_are_not_definite(status: int) -> None:
    assert not is_definite(status)


@pytest.mark.parametrize(
    ("text", "gap"),
    [
        ("User-agent: *\nCrawl-delay: 2.5\n", 2.5),
        ("User-agent: *\nRequest-rate: 1/10s\n", 10.0),
        ("User-agent: *\nRequest-rate: 6/1m\n", 10.0),
        ("User-agent: *\nCrawl-delay: 4\nRequest-rate: 1/10s\n", 10.0),
        ("User-agent: *\nCrawl-delay: 12\nRequest-rate: 1/10s\n", 12.0),
        ("User-agent: *\nCrawl-delay: soon\n", 0.0),
        ("User-agent: *\nCrawl-delay: -5\n", 0.0),
        ("User-agent: otherbot\nCrawl-delay: 30\n", 0.0),
        ("User-agent: *\nCrawl-delay: 30\n\nUser-agent: scraper\nCrawl-delay: 1\n", 1.0),
    ],
)
def test_min_gap_reads_crawl_delay_and_request_rate(text: str, gap: float) -> None:
    assert RobotsRules.answered(200, text).min_gap(AGENT) == gap


def test_kept_answer_gives_the_same_rules_next_run() -> None:
    kept = RobotsTxt(f"{SITE}/robots.txt", 200, ROBOTS, "2026-11-27T14:37:00Z")
    rules = RobotsRules.answered(kept.status, kept.text)
    assert not rules.can_fetch(f"{SITE}/intern/lista", AGENT)
    assert rules.min_gap(AGENT) == 2.0
