"""Search excerpts: around the first match, matches marked, whatever the text looks like."""

from __future__ import annotations

from scraper.store.excerpts import make_excerpt

WORDS = [f"ord{i}" for i in range(100)]


def _text_with(word: str, at: int, filler: list[str] = WORDS) -> str:
    words = list(filler)
    words[at] = word
    return " ".join(words) + "."


def test_excerpt_starts_six_words_before_the_first_match_and_says_what_is_cut() -> None:
    excerpt = make_excerpt(_text_with("budgeten", 50), "budgeten")
    assert excerpt.startswith("… ord44 ord45 ord46 ord47 ord48 ord49 «budgeten» ord51")
    assert excerpt.endswith("ord67 …")
    assert len(excerpt.split()) == 2 + 24  # the two ellipses and 24 words


def test_excerpt_at_the_start_and_end_of_a_text_has_no_ellipsis() -> None:
    assert make_excerpt("Budgeten för 2025 är klar.", "budgeten") == "«Budgeten» för 2025 är klar."
    assert make_excerpt(_text_with("budget", 2), "budget").startswith("ord0 ord1 «budget» ord3")


def test_excerpt_marks_stems_prefixes_and_words_without_diacritics() -> None:
    text = "Förskolan i Västervik öppnar, och skolorna i Vimmerby väntar."
    assert "«skolorna»" in make_excerpt(text, "skola")
    assert "«Förskolan»" in make_excerpt(text, "försko*")
    assert "«Västervik»" in make_excerpt(text, "vastervik")
    assert make_excerpt(text, "Vimmerby").count("«") == 1


def test_excerpt_leaves_negated_words_unmarked() -> None:
    excerpt = make_excerpt("Kommunen bygger en ny skola.", "kommunen NOT skola")
    assert excerpt == "«Kommunen» bygger en ny skola."


def test_excerpt_without_a_match_is_the_texts_beginning() -> None:
    assert make_excerpt(" ".join(WORDS), "zebra") == " ".join(WORDS[:24]) + " …"
    assert make_excerpt(" ".join(WORDS), "") == " ".join(WORDS[:24]) + " …"


def test_excerpt_counts_words_back_past_very_long_words() -> None:
    long_words = ["x" * 120 + str(i) for i in range(30)]
    excerpt = make_excerpt(_text_with("budgeten", 20, long_words), "budgeten")
    before = excerpt.split("«budgeten»")[0].split()
    assert before[0] == "…"
    assert before[1:] == long_words[14:20]


def test_excerpt_of_punctuation_only_and_empty_text() -> None:
    assert make_excerpt("", "skola") == ""
    assert make_excerpt("– … –", "skola") == "– … –"
