"""Help, the accessibility statement, the privacy notice and the cookies page:
open to anyone, linked from every page's footer; the protective marking heads
every page; "Need help?" is on the sign-in and error pages."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.page_text import reader_text

PAGES = {
    "about:help": "Help and contact",
    "about:accessibility": "Accessibility statement for Safeguarding information sharing",
    "about:privacy": "Privacy notice",
    "about:cookies": "Cookies",
}
FOOTER = ["Help and contact", "Accessibility statement", "Privacy notice", "Cookies"]


def text_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return reader_text(response.content.decode())


@pytest.mark.parametrize(("name", "heading"), PAGES.items())
def test_each_page_opens_to_someone_not_signed_in(db, client, name, heading):
    assert heading in text_of(client, reverse(name)).splitlines()


def test_the_footer_of_the_sign_in_page_links_to_each(db, client):
    html = client.get(reverse("login")).content.decode()
    for label, name in zip(FOOTER, PAGES, strict=True):
        assert f'href="{reverse(name)}">{label}</a>' in html


def test_someone_still_to_set_up_a_second_factor_can_read_help(db, client, lead):
    response = client.post(reverse("login"), {"username": lead.email, "password": PASSWORD})
    assert response.url == reverse("two_factor:enrol")
    assert "Help and contact" in text_of(client, reverse("about:help")).splitlines()


def test_the_cookies_page_names_every_cookie_a_browser_is_given(db, practitioner):
    browser = Client(enforce_csrf_checks=True)
    browser.get(reverse("login"))
    csrf = browser.cookies[settings.CSRF_COOKIE_NAME].value
    browser.post(reverse("login"), {"username": practitioner.email, "password": PASSWORD, "csrfmiddlewaretoken": csrf})
    browser.post(reverse("logout"), {"csrfmiddlewaretoken": browser.cookies[settings.CSRF_COOKIE_NAME].value})
    given = {name for name, morsel in browser.cookies.items() if morsel.value or morsel["max-age"] == 0}
    assert settings.SESSION_COOKIE_NAME in given and settings.CSRF_COOKIE_NAME in given
    listed = {line.split(" ")[0] for line in text_of(Client(), reverse("about:cookies")).splitlines()}
    assert given <= listed


def first_line_after_the_title(text: str) -> str:
    return next(line for line in text.splitlines()[1:] if line != "Skip to main content")


def test_the_protective_marking_heads_every_page_and_can_be_switched_off(db, client, settings):
    assert first_line_after_the_title(text_of(client, reverse("login"))) == "OFFICIAL-SENSITIVE"
    settings.PROTECTIVE_MARKING = "OFFICIAL"
    assert first_line_after_the_title(text_of(client, reverse("login"))) == "OFFICIAL"
    settings.PROTECTIVE_MARKING = ""
    assert first_line_after_the_title(text_of(client, reverse("login"))) == "Safeguarding information sharing"


def test_the_marking_is_on_the_printed_page(db, client):
    response = client.get(reverse("about:help"))
    assert first_line_after_the_title(reader_text(response.content.decode(), printed=True)) == "OFFICIAL-SENSITIVE"


@pytest.mark.parametrize("url", ["/no-such-page/", reverse("login")])
def test_need_help_is_on_the_sign_in_and_error_pages(db, client, url):
    response = client.get(url)
    lines = reader_text(response.content.decode()).splitlines()
    assert "Need help?" in lines
    assert f'href="{reverse("about:help")}">help and contact</a>' in response.content.decode()
