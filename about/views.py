"""The pages a public service links from its footer: help and contact, the
accessibility statement, the privacy notice and the cookies page; and the
guidance the service implements, a paragraph at a time.

The footer's pages are open to anyone, signed in or not: someone who cannot
sign in needs help most, and the statements are owed to everyone the service
holds information about. The guidance is public too, but it is shown to staff,
beside their work, so it asks for sign-in as every page of the work does.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from about import selectors
from core import guidance_text
from core.access_log import shows_no_case_records


@shows_no_case_records("help and contact")
@login_not_required
@require_GET
def help_and_contact(request):
    return render(request, "about/help.html", {"support_email": settings.SERVICE_SUPPORT_EMAIL})


@shows_no_case_records("the accessibility statement")
@login_not_required
@require_GET
def accessibility(request):
    return render(request, "about/accessibility.html", {"support_email": settings.SERVICE_SUPPORT_EMAIL})


@shows_no_case_records("the privacy notice")
@login_not_required
@require_GET
def privacy(request):
    return render(request, "about/privacy.html", {"support_email": settings.SERVICE_SUPPORT_EMAIL})


@shows_no_case_records("the cookies page")
@login_not_required
@require_GET
def cookies(request):
    return render(request, "about/cookies.html", {"cookies": selectors.cookies_set()})


@shows_no_case_records("the published guidance, the same for everyone")
@require_GET
def guidance_contents(request):
    guidance = guidance_text.chapter_3()
    return render(
        request,
        "about/guidance_contents.html",
        {"title": guidance_text.TITLE, "sections": guidance.sections.values()},
    )


@shows_no_case_records("the published guidance, the same for everyone")
@require_GET
def guidance(request, reference: str):
    """A paragraph ("3.5.4"), a range ("3.5.2-3.5.4") or a section ("3.8") of the guidance."""
    passage = guidance_text.chapter_3().passage(reference)
    if passage is None:
        raise Http404("No such paragraph")
    return render(request, "about/guidance.html", {"title": guidance_text.TITLE, "passage": passage})
