"""Word-level diffs a journalist can read."""

from scraper.diff import word_diff


def test_changed_word_is_marked_in_place() -> None:
    old = "Bygget startar i maj.\n\nSkolan står klar 2026."
    new = "Bygget startar i juni.\n\nSkolan står klar 2026."
    assert word_diff(old, new) == "Bygget startar i [-maj.-] {+juni.+}\n\nSkolan står klar 2026."


def test_added_and_removed_paragraphs() -> None:
    old = "Första stycket.\n\nAndra stycket."
    new = "Första stycket.\n\nNytt stycke om budgeten.\n\nAndra stycket."
    diff = word_diff(old, new)
    assert "{+Nytt stycke om budgeten.+}" in diff
    assert word_diff(new, old).count("[-Nytt stycke om budgeten.-]") == 1


def test_same_words_give_empty_diff() -> None:
    assert word_diff("Samma  text\nhär", "Samma text här") == ""


def test_diff_excerpt_keeps_only_the_change_and_its_context() -> None:
    from scraper.diff import diff_excerpt

    old = "Oförändrat stycke.\n\n" + " ".join(f"o{i}" for i in range(30)) + " slut"
    new = "Oförändrat stycke.\n\n" + " ".join(f"o{i}" for i in range(30)) + " början"
    [paragraph] = diff_excerpt(word_diff(old, new), context=3)
    assert paragraph == [
        ("same", "… o27 o28 o29 "),
        ("del", "slut"),
        ("same", " "),
        ("ins", "början"),
    ]
