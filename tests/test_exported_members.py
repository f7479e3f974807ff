"""The public API: every name in scraper.__all__ resolves, and nothing else is promised."""

import scraper


def test_all_exported_names_resolve_and_are_sorted() -> None:
    for name in scraper.__all__:
        assert getattr(scraper, name) is not None, name
    assert sorted(scraper.__all__) == sorted(set(scraper.__all__))
    assert set(scraper.__all__) == set(scraper._EXPORTS)
