"""The pages a public service links from its footer: help and contact, the
accessibility statement, the privacy notice and the cookies page.

Open to anyone, signed in or not: someone who cannot sign in needs help most,
and the statements are owed to everyone the service holds information about.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from about import selectors
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
