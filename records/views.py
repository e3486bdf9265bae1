import uuid
from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.emails import LinkKind
from accounts.kept_typing import form_for, keeps_typing, typed_initial, typed_take
from advice import selectors as advice_selectors
from audit.models import Action, Subject
from audit.services import nothing_shown, shown
from core.access_log import logs, shows_no_case_records
from core.permissions import require_permission
from records import selectors, services
from records.forms import (
    AdultForm,
    AgencyForm,
    ChildForm,
    ChildSearchForm,
    LinkAdultForm,
    LinkAdultSearchForm,
    PlatformAdminForm,
    StaffForm,
)
from records.roles import Permission, Role

SEARCH_SESSION_KEY = "child_search"


@shows_no_case_records("leads a practitioner to find a child; an administrator's home page names no child")
def home(request):
    if request.user.has_perm(Permission.CHILD_ADD):
        return redirect("records:child_search")
    return render(request, "home.html")


@logs(Action.VIEW, Action.SEARCH, subject=Subject.CHILDREN)
@keeps_typing
@require_http_methods(["GET", "POST"])
def child_search(request):
    """Find a child in the agency.

    The search is sent by POST and kept in the session, so names and dates of
    birth never appear in URLs or access logs.
    """
    require_permission(request.user, Permission.CHILD_VIEW)
    if request.method == "POST":
        form = ChildSearchForm(request.POST)
        if form.is_valid():
            dob = form.cleaned_data["date_of_birth"]
            request.session[SEARCH_SESSION_KEY] = {
                "text": form.cleaned_data["text"].strip(),
                "date_of_birth": dob.isoformat() if dob else None,
            }
            return redirect("records:child_search")
        nothing_shown(request)  # what was typed, and what is wrong with it
        return render(request, "records/child_search.html", {"form": form, "searched": False})

    saved = request.session.get(SEARCH_SESSION_KEY)
    search = selectors.ChildSearch()
    if saved and request.GET.get("new") is None:
        dob = date.fromisoformat(saved["date_of_birth"]) if saved.get("date_of_birth") else None
        search = selectors.ChildSearch(text=saved.get("text", ""), date_of_birth=dob)
    form = ChildSearchForm(initial={"text": search.text, "date_of_birth": search.date_of_birth})
    if (typed := typed_take(request)) is not None:
        # A search typed when the session ended (accounts.kept_typing): shown, not yet run.
        form = ChildSearchForm(initial=typed_initial(ChildSearchForm(typed)))
    results = list(selectors.child_search(user=request.user, search=search))
    recent = [] if not search.is_empty else list(selectors.recently_changed_children(user=request.user))
    if search.is_empty:
        shown(request, detail=f"recently changed: {len(recent)} listed")
    else:
        shown(request, action=Action.SEARCH, detail=f"by {search.kind}: {len(results)} found")
    context = {
        "form": form,
        "searched": not search.is_empty,
        "results": results,
        "result_limit": selectors.SEARCH_RESULT_LIMIT,
        "recent": recent,
        # The start page: answers to the person's requests for advice, and requests waiting for theirs.
        "advice": advice_selectors.for_start_page(user=request.user) if search.is_empty else None,
    }
    return render(request, "records/child_search.html", context)


@shows_no_case_records("a form for a new child: what is typed, until it is saved (and recorded with its history)")
@keeps_typing
@require_http_methods(["GET", "POST"])
def child_add(request):
    require_permission(request.user, Permission.CHILD_ADD)
    agency = request.user.agency
    form = form_for(request, ChildForm, agency=agency)
    if request.method == "POST" and form.is_valid():
        child = services.child_create(user=request.user, agency=agency, details=form.details())
        messages.success(request, f"{child.full_name} has been added")
        return redirect("oversight:child_detail", child_id=child.pk)
    return render(request, "records/child_form.html", {"form": form, "child": None})


@logs(Action.VIEW, subject=Subject.CHILD)
@keeps_typing
@require_http_methods(["GET", "POST"])
def child_change(request, child_id: uuid.UUID):
    child = selectors.child_get_for_user(user=request.user, child_id=child_id)
    require_permission(request.user, Permission.CHILD_CHANGE, child)
    form = form_for(request, ChildForm, instance=child, agency=child.agency)
    if request.method == "POST" and form.is_valid():
        services.child_update(user=request.user, child=child, details=form.details())
        messages.success(request, "The child's details have been updated")
        return redirect("oversight:child_detail", child_id=child.pk)
    shown(request, child, detail="details to change")
    return render(request, "records/child_form.html", {"form": form, "child": child})


@logs(Action.VIEW, subject=Subject.CHILD)
@keeps_typing
@require_http_methods(["GET", "POST"])
def adult_add(request, child_id: uuid.UUID):
    child = selectors.child_get_for_user(user=request.user, child_id=child_id)
    require_permission(request.user, Permission.ADULT_CHANGE, child)
    form = form_for(request, AdultForm)
    if request.method == "POST" and form.is_valid():
        link = services.adult_add_to_child(
            user=request.user, child=child, details=form.details(), relationship=form.relationship_details()
        )
        messages.success(request, f"{link.adult.full_name} has been added as {link.relationship_display.lower()}")
        return redirect("oversight:child_detail", child_id=child.pk)
    shown(request, child, detail="to add an adult")
    return render(request, "records/adult_form.html", {"form": form, "child": child, "link": None})


@logs(Action.VIEW, subject=Subject.ADULT)
@keeps_typing
@require_http_methods(["GET", "POST"])
def adult_change(request, child_id: uuid.UUID, link_id: int):
    child = selectors.child_get_for_user(user=request.user, child_id=child_id)
    link = selectors.relationship_get_for_user(user=request.user, child=child, relationship_id=link_id)
    require_permission(request.user, Permission.ADULT_CHANGE, link.adult)
    form = form_for(request, AdultForm, instance=link.adult, link=link)
    if request.method == "POST" and form.is_valid():
        services.adult_update(
            user=request.user, link=link, details=form.details(), relationship=form.relationship_details()
        )
        messages.success(request, f"{link.adult.full_name}'s details have been updated")
        return redirect("oversight:child_detail", child_id=child.pk)
    shown(request, link.adult, child=child, detail="details to change")
    return render(request, "records/adult_form.html", {"form": form, "child": child, "link": link})


@logs(Action.VIEW, Action.SEARCH, subject=Subject.CHILD)
@keeps_typing
@require_http_methods(["GET", "POST"])
def adult_link(request, child_id: uuid.UUID):
    """Connect an adult the agency already holds, such as a sibling's parent."""
    child = selectors.child_get_for_user(user=request.user, child_id=child_id)
    require_permission(request.user, Permission.ADULT_CHANGE, child)
    # After a time-out, the name searched for comes back; the adult chosen is chosen again.
    search_form = form_for(request, LinkAdultSearchForm)
    link_form = None
    if search_form.is_bound and search_form.is_valid():
        adults = selectors.adults_linkable_to(user=request.user, child=child, name=search_form.cleaned_data["name"])
        bound = request.POST if "adult" in request.POST or "connect" in request.POST else None
        link_form = LinkAdultForm(bound, adults=adults)
        if bound is not None and link_form.is_valid():
            link = services.relationship_create(
                user=request.user,
                child=child,
                adult=link_form.cleaned_data["adult"],
                relationship=link_form.relationship_details(),
            )
            messages.success(
                request, f"{link.adult.full_name} has been connected as {link.relationship_display.lower()}"
            )
            return redirect("oversight:child_detail", child_id=child.pk)
    if link_form is None:
        shown(request, child, detail="to connect an adult")
    else:
        shown(request, child, action=Action.SEARCH, detail=f"adults to connect, by name: {adults.count()} found")
    return render(
        request,
        "records/adult_link.html",
        {"child": child, "search_form": search_form, "link_form": link_form},
    )


@shows_no_case_records("the agency's staff accounts")
def staff_list(request):
    """An agency administrator's staff: who can sign in, in which role."""
    require_permission(request.user, Permission.STAFF_MANAGE)
    staff = [
        (member, account_selectors.authenticator_for(member) is not None, account_selectors.invitation_pending(member))
        for member in selectors.staff_managed_by(request.user)
    ]
    return render(request, "records/staff_list.html", {"staff": staff})


@shows_no_case_records("a staff account")
@require_http_methods(["GET", "POST"])
def staff_add(request):
    require_permission(request.user, Permission.STAFF_MANAGE)
    form = StaffForm(request.POST if request.method == "POST" else None, acting=request.user)
    if request.method == "POST" and form.is_valid():
        member = services.staff_create(
            user=request.user,
            agency=request.user.agency,
            email=form.cleaned_data["email"],
            password=None,
            details=form.details(),
        ).user
        # Nobody but the person knows their password: they choose it with the invitation.
        sent = account_services.invitation_send(request=request, user=member)
        if sent.delivered:
            messages.success(
                request, f"{member.full_name} has been added. We have emailed them an invitation to choose a password"
            )
        else:
            messages.error(
                request,
                f"{member.full_name} has been added, but the invitation could not be sent. "
                "Send it again from their page in a few minutes",
            )
        return redirect("records:staff_list")
    return render(request, "records/staff_form.html", {"form": form, "member": None})


@shows_no_case_records("a staff account")
@require_http_methods(["GET", "POST"])
def staff_change(request, member_id: int):
    member = selectors.staff_member_get_for_admin(user=request.user, member_id=member_id)
    require_permission(request.user, Permission.STAFF_MANAGE)
    form = StaffForm(request.POST if request.method == "POST" else None, member=member, acting=request.user)
    if request.method == "POST" and form.is_valid():
        services.staff_update(user=request.user, member=member, details=form.details())
        messages.success(request, f"{member.full_name}'s details have been updated")
        return redirect("records:staff_list")
    context = {
        "form": form,
        "member": member,
        "has_authenticator": account_selectors.authenticator_for(member) is not None,
        "invitation_pending": account_selectors.invitation_pending(member),
        "is_self": member.pk == request.user.pk,
    }
    return render(request, "records/staff_form.html", context)


@shows_no_case_records("sends a link to a member of staff (written to the access log as sent)")
@require_POST
def staff_password_link(request, member_id: int):
    """An invitation sent again, or a password reset: the person is emailed a
    link to choose their own password. The administrator never sets or sees it."""
    member = selectors.staff_member_get_for_admin(user=request.user, member_id=member_id)
    require_permission(request.user, Permission.STAFF_MANAGE)
    if member.pk == request.user.pk:
        messages.info(request, "To change your own password, use “Change your password” at the top of the page")
        return redirect("records:staff_change", member_id=member.pk)
    sent = account_services.password_link_send(request=request, user=member)
    if sent is None:
        messages.info(request, f"{member.full_name}'s account is deactivated: no email was sent")
    elif not sent.delivered:
        messages.error(request, "The email could not be sent. Try again in a few minutes")
    elif sent.kind == LinkKind.INVITATION:
        messages.success(request, f"We have emailed {member.full_name} a new invitation. The old one no longer works")
    else:
        messages.success(
            request,
            f"{member.full_name}'s password no longer works, and they have been signed out. "
            "We have emailed them a link to choose a new one",
        )
    return redirect("records:staff_change", member_id=member.pk)


@shows_no_case_records("resets a member of staff's second factor (written to the access log as reset)")
@require_POST
def staff_two_factor_reset(request, member_id: int):
    """A lost phone: the person sets up their authenticator app again at their next sign-in."""
    member = selectors.staff_member_get_for_admin(user=request.user, member_id=member_id)
    require_permission(request.user, Permission.STAFF_MANAGE)
    account_services.two_factor_reset(user=member, request=request)
    messages.success(request, f"{member.full_name} will set up two-factor authentication again when they next sign in")
    return redirect("records:staff_change", member_id=member.pk)


# A platform administrator's pages: agencies, their first administrators, and
# the platform's own administrators. The Django admin is for emergencies only
# (docs/adr/0015-passwords-and-email.md).


def _invitation_sent(request, member, added: str) -> None:
    """Invite the person just added, and say whether the email went."""
    sent = account_services.invitation_send(request=request, user=member)
    if sent.delivered:
        messages.success(request, f"{added}. We have emailed them an invitation to choose a password")
    else:
        messages.error(request, f"{added}, but the invitation could not be sent. Check the email settings")


@shows_no_case_records("the agencies using the service, with how many staff can sign in")
def agency_list(request):
    require_permission(request.user, Permission.PLATFORM_MANAGE)
    return render(request, "records/platform/agency_list.html", {"agencies": selectors.agencies_for_platform()})


@shows_no_case_records("a form for a new agency")
@require_http_methods(["GET", "POST"])
def agency_add(request):
    require_permission(request.user, Permission.PLATFORM_MANAGE)
    form = AgencyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        agency = services.agency_create(user=request.user, details=form.details())
        messages.success(request, f"{agency.name} has been added. Now invite its first agency administrator")
        return redirect("records:agency_change", agency_id=agency.pk)
    return render(request, "records/platform/agency_form.html", {"form": form, "agency": None})


@shows_no_case_records("an agency's name, kind and contact details, and its administrators")
@require_http_methods(["GET", "POST"])
def agency_change(request, agency_id: int):
    require_permission(request.user, Permission.PLATFORM_MANAGE)
    agency = selectors.agency_get_for_platform(agency_id=agency_id)
    form = AgencyForm(request.POST if request.method == "POST" else None, agency=agency)
    if request.method == "POST" and form.is_valid():
        services.agency_update(user=request.user, agency=agency, details=form.details())
        messages.success(request, f"{agency.name}'s details have been updated")
        return redirect("records:agency_list")
    context = {"form": form, "agency": agency, "administrators": selectors.agency_administrators(agency)}
    return render(request, "records/platform/agency_form.html", context)


@shows_no_case_records("a form for an agency's administrator, who manages its staff")
@require_http_methods(["GET", "POST"])
def agency_admin_add(request, agency_id: int):
    """An agency's administrator, invited by email: they add the agency's other staff themselves."""
    require_permission(request.user, Permission.PLATFORM_MANAGE)
    agency = selectors.agency_get_for_platform(agency_id=agency_id)
    form = PlatformAdminForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        invited = form.details()
        member = services.staff_create(
            user=request.user,
            agency=agency,
            email=invited.email,
            password=None,
            details=services.StaffDetails(full_name=invited.full_name, role=Role.AGENCY_ADMIN),
        ).user
        _invitation_sent(request, member, f"{member.full_name} has been added as {agency.name}'s administrator")
        return redirect("records:agency_change", agency_id=agency.pk)
    return render(request, "records/platform/agency_admin_form.html", {"form": form, "agency": agency})


@shows_no_case_records("the platform's administrators")
def platform_admin_list(request):
    require_permission(request.user, Permission.PLATFORM_MANAGE)
    context = {"administrators": selectors.platform_admins()}
    return render(request, "records/platform/platform_admin_list.html", context)


@shows_no_case_records("a form for a new platform administrator")
@require_http_methods(["GET", "POST"])
def platform_admin_add(request):
    require_permission(request.user, Permission.PLATFORM_MANAGE)
    form = PlatformAdminForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        member = services.platform_admin_create(user=request.user, details=form.details())
        _invitation_sent(request, member, f"{member.full_name} has been added as a platform administrator")
        return redirect("records:platform_admin_list")
    return render(request, "records/platform/platform_admin_form.html", {"form": form})


@shows_no_case_records("sends an administrator a new invitation (written to the access log as sent)")
@require_POST
def platform_invitation_send(request, administrator_id: int):
    """A new invitation for an administrator the platform invited, whose link has expired or gone astray:
    the old link stops working. Someone who has chosen a password resets it themselves."""
    require_permission(request.user, Permission.PLATFORM_MANAGE)
    member = selectors.invitee_get_for_platform(administrator_id=administrator_id)
    back = (
        redirect("records:platform_admin_list")
        if member.is_superuser
        else redirect("records:agency_change", agency_id=member.agency.pk)
    )
    if not member.is_active:
        messages.info(request, f"{member.full_name}'s account is deactivated: no email was sent")
    elif not account_selectors.invitation_pending(member):
        messages.info(request, f"{member.full_name} has already chosen a password: no invitation was sent")
    else:
        _invitation_sent(request, member, f"{member.full_name}'s old invitation no longer works")
    return back


@shows_no_case_records("deactivates a platform administrator (kept in its change history)")
@require_POST
def platform_admin_deactivate(request, administrator_id: int):
    require_permission(request.user, Permission.PLATFORM_MANAGE)
    member = selectors.platform_admin_get(administrator_id=administrator_id)
    if member.pk == request.user.pk:
        messages.error(request, "You cannot deactivate your own account: ask another platform administrator")
    elif not member.is_active:
        messages.info(request, f"{member.full_name}'s account is already deactivated")
    else:
        services.platform_admin_deactivate(user=request.user, member=member)
        messages.success(request, f"{member.full_name} can no longer sign in, and has been signed out")
    return redirect("records:platform_admin_list")
