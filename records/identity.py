"""Rules about a person's identifiers and age, in plain Python.

No Django imports: these are read next to the data standards they implement
and tested in milliseconds.
"""

from __future__ import annotations

import unicodedata
from datetime import date

NHS_NUMBER_LENGTH = 10


def nhs_number_normalise(value: str) -> str:
    """Strip the spaces and hyphens people type (``943 476 5919``), and read
    digits typed in another script (fullwidth, Arabic-Indic) as 0 to 9."""
    return "".join(
        str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in value if ch not in " -"
    )


def nhs_number_check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit of the NHS number standard.

    Weights 10 down to 2 multiply the first nine digits; the check digit is
    11 minus the remainder of the sum divided by 11, where 11 becomes 0 and
    10 means the number is not valid (None).
    """
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def nhs_number_problem(value: str) -> str | None:
    """Why a typed NHS number is not valid, or None when it is."""
    digits = nhs_number_normalise(value)
    # Only 0 to 9: "²" is a digit to str.isdigit() but not a number.
    if not (digits.isascii() and digits.isdigit()) or len(digits) != NHS_NUMBER_LENGTH:
        return "Enter an NHS number that is 10 digits long, like 943 476 5919"
    expected = nhs_number_check_digit(digits[:9])
    if expected is None or expected != int(digits[9]):
        return "Enter a valid NHS number: the last digit does not match, so check it has been typed correctly"
    return None


def nhs_number_format(digits: str) -> str:
    """Show an NHS number in the 3-3-4 groups people read it in."""
    if len(digits) != NHS_NUMBER_LENGTH:
        return digits
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def age_in_years(date_of_birth: date, on: date) -> int:
    """Completed years of age on a date."""
    had_birthday = (on.month, on.day) >= (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - (0 if had_birthday else 1)


def age_description(date_of_birth: date | None, expected_date_of_birth: date | None, on: date) -> str:
    """How old a child is, in the words a practitioner would use.

    Unborn children are recorded too: sharing may start before birth so that
    protective plans are in place from the moment of birth (000).
    """
    if date_of_birth is None:
        if expected_date_of_birth is None:
            return "Age not known"
        return "Unborn"
    if date_of_birth > on:
        return "Date of birth is in the future"
    years = age_in_years(date_of_birth, on)
    if years >= 2:
        return f"{years} years old"
    months = (on.year - date_of_birth.year) * 12 + on.month - date_of_birth.month
    if on.day < date_of_birth.day:
        months -= 1
    if months >= 1:
        return f"{months} month{'s' if months != 1 else ''} old"
    days = (on - date_of_birth).days
    return f"{days} day{'s' if days != 1 else ''} old"
