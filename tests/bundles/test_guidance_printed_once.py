"""A bundle prints the guidance its decisions' questions showed once, not with every decision (ADR 21): each
different passage gets a label, the question's number, with a letter where the question showed other guidance
in other decisions."""

from types import SimpleNamespace

from bundles.selectors import _guidance_printed_once, _letters

LEGITIMATE = ("3.5.2", "You must have a good reason, a legitimate purpose, to share information about a child.")
POWERS = ("3.5.3", "The sharing must be within the functions or powers of your agency.")
ANONYMISED = ("3.5.4", "If anonymised information would achieve the purpose, share that instead.")
CONSENT = ("3.3.11", "Consent must be freely given and informed.")


def answer(pk, number, *notes, wording="A question?", paragraphs="3.5.2 to 3.5.4"):
    return SimpleNamespace(
        pk=pk,
        question_number=number,
        question_wording=wording,
        paragraphs=paragraphs,
        guidance_shown=[list(note) for note in notes],
    )


def test_the_same_guidance_shown_in_two_decisions_is_one_passage_named_by_its_question():
    first = {"answers": [answer(1, 1, LEGITIMATE, POWERS), answer(2, 4, CONSENT, paragraphs="3.3.10 to 3.3.29")]}
    second = {"answers": [answer(3, 1, LEGITIMATE, POWERS), answer(4, 2)]}  # question 2 showed nothing

    passages, printed_as = _guidance_printed_once([first, second])

    assert [(passage.label, passage.notes) for passage in passages] == [
        ("1", (LEGITIMATE, POWERS)),
        ("4", (CONSENT,)),
    ]
    assert printed_as[1] is printed_as[3] is passages[0]
    assert printed_as[2] is passages[1]
    assert 4 not in printed_as
    assert [passage.anchor for passage in passages] == ["bundle-guidance-1", "bundle-guidance-4"]


def test_a_question_that_showed_other_guidance_in_other_decisions_has_a_passage_a_letter():
    decisions = [
        {"answers": [answer(1, 1, LEGITIMATE, POWERS, ANONYMISED), answer(2, 4, CONSENT)]},
        {"answers": [answer(3, 1, LEGITIMATE, POWERS)]},
        {"answers": [answer(4, 1, LEGITIMATE, POWERS, ANONYMISED)]},
    ]

    passages, printed_as = _guidance_printed_once(decisions)

    # In the order of the questions, then of the decisions that first showed each.
    assert [passage.label for passage in passages] == ["1a", "1b", "4"]
    assert printed_as[1] is printed_as[4] is passages[0]
    assert printed_as[3] is passages[1]


def test_no_decisions_or_no_guidance_shown_prints_no_passage():
    assert _guidance_printed_once([]) == ([], {})
    assert _guidance_printed_once([{"answers": [answer(1, 2)]}]) == ([], {})


def test_letters_run_on_past_z():
    assert [_letters(count) for count in (1, 2, 26, 27, 28, 52, 53)] == ["a", "b", "z", "aa", "ab", "az", "ba"]
