"""The service's GOV.UK Frontend CSS is built with a system font stack (ADR 5):
GDS Transport is licensed for GOV.UK services only."""

from pathlib import Path

from django.conf import settings

BUILT_CSS = Path(settings.BASE_DIR) / "static" / "vendor" / "govuk" / "govuk-frontend.min.css"


def test_the_built_css_names_no_gds_transport_and_loads_no_font():
    css = BUILT_CSS.read_text()
    assert ".govuk-body" in css
    assert "GDS Transport" not in css
    assert "@font-face" not in css
    assert "system-ui" in css


def test_no_font_file_is_served():
    assert not list(BUILT_CSS.parent.glob("assets/**/*.woff*"))
