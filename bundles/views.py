"""A child's bundles for court or a conference: the list, making one, and downloading one again
(docs/adr/0021-court-bundles.md). Every page looks at the child's records, and is logged as such."""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.kept_typing import form_for, keeps_typing
from audit.models import Action, Subject
from audit.services import shown
from bundles import selectors, services
from bundles.forms import BundleForm
from core import pdf
from core.access_log import logs
from core.permissions import require_permission
from records import selectors as record_selectors
from records.roles import Permission

logger = logging.getLogger(__name__)


def _child(request, child_id: uuid.UUID):
    """The child, for someone who may make its bundles: 404 outside its agency, 403 without the permission."""
    child = record_selectors.child_get_for_user(user=request.user, child_id=child_id, adults=False)
    require_permission(request.user, Permission.BUNDLE_MAKE, child)
    return child


@logs(Action.VIEW, subject=Subject.CHILD)
def bundle_list(request, child_id: uuid.UUID):
    child = _child(request, child_id)
    orders = selectors.bundles_for_child(user=request.user, child=child)
    shown(request, child, detail=f"{len(orders)} bundle{'' if len(orders) == 1 else 's'}")
    return render(
        request,
        "bundles/bundle_list.html",
        {
            "child": child,
            "orders": orders,
            "being_made": sum(order.is_being_made for order in orders),
        },
    )


@logs(Action.VIEW, subject=Subject.CHILD)
@keeps_typing
@require_http_methods(["GET", "POST"])
def bundle_make(request, child_id: uuid.UUID):
    child = _child(request, child_id)
    form = form_for(request, BundleForm)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.bundle_ask(user=request.user, child=child, choices=form.choices())
        except services.TooManyRecords as too_many:
            form.add_error(
                "period_start",
                f"The period and kinds chosen hold {too_many.records} records, and a bundle can hold "
                f"{settings.BUNDLE_MOST_RECORDS}: choose a shorter period or fewer kinds, and make more than "
                "one bundle",
            )
        else:
            if order.is_ready:  # where tasks run as they are enqueued
                pages = order.bundle.pages
                messages.success(request, f"The bundle has been made: {pages} page{'' if pages == 1 else 's'}.")
            return redirect("bundles:list", child_id=child.pk)
    shown(request, child, detail="to make a bundle")
    return render(request, "bundles/bundle_make.html", {"child": child, "form": form})


@logs(Action.EXPORT, Action.REFUSED, subject=Subject.CHILD)
@never_cache
def bundle_download(request, child_id: uuid.UUID, bundle_id: uuid.UUID):
    child = _child(request, child_id)
    bundle = selectors.bundle_get_for_user(user=request.user, child=child, bundle_id=bundle_id)
    content = selectors.bundle_pdf_as_recorded(bundle=bundle)
    if content is None:
        # Changed, replaced or lost since it was made: never handed over as if it were the bundle. The refusal is
        # in the child's audit history; 409, as for a signed consent form that no longer matches its record.
        shown(request, bundle, child=child, action=Action.REFUSED, detail="bundle PDF does not match its record")
        logger.error("The PDF of bundle %s does not match its recorded SHA-256", bundle.pk)
        return render(request, "bundles/bundle_mismatch.html", {"child": child, "bundle": bundle}, status=409)
    shown(request, bundle, child=child, detail="bundle PDF")
    return pdf.pdf_attachment(content, filename=f"bundle-{bundle.pk}.pdf")
