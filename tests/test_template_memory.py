"""Template learning holds one sample page at a time, each cut to a byte budget."""

from __future__ import annotations

from scraper.update.extraction import TEMPLATE_PAGE_CHARS, bounded_sample


def test_the_sample_is_loaded_lazily_and_bounded() -> None:
    loaded: list[int] = []

    def load(page_id: int) -> tuple[str, str]:
        loaded.append(page_id)
        return f"https://x.se/{page_id}", "<p>" + "x" * 5_000_000 + "</p>"

    sample = bounded_sample(load, range(300), page_chars=1_000_000, total_chars=3_500_000)
    sizes = []
    for index, (url, html) in enumerate(sample):
        # The learner asked for page `index`: nothing beyond it has been read.
        assert loaded == list(range(index + 1))
        assert url == f"https://x.se/{index}"
        sizes.append(len(html))
    assert sizes == [1_000_000, 1_000_000, 1_000_000, 500_000]
    assert len(loaded) == 4  # the total budget reached, the other 296 pages are never read


def test_the_learner_is_given_an_iterator_not_a_list(monkeypatch) -> None:
    """ExtractionSteps._learn streams the pages into learn_template."""
    from scraper.records import Source
    from scraper.update import extraction

    seen: list[object] = []

    def fake_learn(source_id, pages, *, now):  # type: ignore[no-untyped-def]
        seen.append(pages)
        assert not isinstance(pages, list | tuple)
        for _, html in pages:
            assert len(html) <= TEMPLATE_PAGE_CHARS
        from scraper.records import SiteTemplate

        return SiteTemplate(source=source_id, pages=0)

    class FakeArchive:
        def release_page_ids(self, source, *, limit):  # type: ignore[no-untyped-def]
            return {1: 10, 2: 11}

        def page_url(self, page_id):  # type: ignore[no-untyped-def]
            return f"https://x.se/{page_id}"

        def release_for_url(self, url):  # type: ignore[no-untyped-def]
            return None

        def page_html(self, page_id):  # type: ignore[no-untyped-def]
            return f"https://x.se/{page_id}", "y" * (TEMPLATE_PAGE_CHARS * 2)

        def save_template(self, template, *, provisional=False):  # type: ignore[no-untyped-def]
            return None

    class Steps(extraction.ExtractionSteps):
        archive = FakeArchive()  # type: ignore[assignment]

        def now(self) -> str:  # type: ignore[override]
            return "2026-12-06T00:00:00Z"

    monkeypatch.setattr(extraction, "learn_template", fake_learn)
    Steps()._learn(Source(id="x", name="X", url="https://x.se/"), [12, 13])
    assert len(seen) == 1
