"""NHS number and age rules, in plain Python."""

from datetime import date

import pytest

from records import identity


@pytest.mark.parametrize("typed", ["9434765919", "943 476 5919", "943-476-5919", "4010232137"])
def test_valid_nhs_numbers_are_accepted_however_typed(typed):
    assert identity.nhs_number_problem(typed) is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("9434765918", "last digit does not match"),
        ("943476591", "10 digits long"),
        ("94347659190", "10 digits long"),
        ("94347659A9", "10 digits long"),
        ("", "10 digits long"),
    ],
)
def test_invalid_nhs_numbers_say_what_is_wrong(typed, message):
    assert message in identity.nhs_number_problem(typed)


def test_a_check_digit_of_ten_makes_the_number_invalid():
    first_nine = next(f"{n:09d}" for n in range(1, 10_000) if identity.nhs_number_check_digit(f"{n:09d}") is None)
    for last in "0123456789":
        assert identity.nhs_number_problem(first_nine + last) is not None


def test_a_remainder_of_zero_gives_check_digit_zero():
    assert identity.nhs_number_check_digit("000000000") == 0


def test_nhs_number_is_shown_in_three_three_four_groups():
    assert identity.nhs_number_format("9434765919") == "943 476 5919"


@pytest.mark.parametrize(
    ("born", "on", "expected"),
    [
        (date(2015, 3, 27), date(2026, 3, 26), "10 years old"),
        (date(2015, 3, 27), date(2026, 3, 27), "11 years old"),
        (date(2024, 2, 29), date(2026, 2, 28), "23 months old"),
        (date(2024, 2, 29), date(2026, 3, 1), "2 years old"),
        (date(2026, 9, 10), date(2026, 11, 21), "2 months old"),
        (date(2026, 10, 21), date(2026, 11, 21), "1 month old"),
        (date(2026, 11, 20), date(2026, 11, 21), "1 day old"),
        (date(2026, 11, 21), date(2026, 11, 21), "0 days old"),
    ],
)
def test_age_is_derived_from_date_of_birth(born, on, expected):
    assert identity.age_description(born, None, on) == expected


def test_an_unborn_child_is_described_as_unborn():
    # 000: sharing may start before birth.
    assert identity.age_description(None, date(2027, 2, 1), date(2026, 11, 21)) == "Unborn"


def test_digits_typed_in_another_script_are_read_as_0_to_9():
    assert identity.nhs_number_normalise("９４３ ４７６ ５９１９") == "9434765919"
    assert identity.nhs_number_problem("٩٤٣٤٧٦٥٩١٩") is None


def test_a_superscript_is_not_a_digit():
    assert identity.nhs_number_problem("943476591²") == "Enter an NHS number that is 10 digits long, like 943 476 5919"
