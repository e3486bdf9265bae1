"""Posts of the consent form for the situations the guidance describes."""

from datetime import timedelta

from django.utils import timezone


def _date(prefix, day):
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def consent_post(**overrides):
    today = timezone.localdate()
    data = {
        "about": "child",
        "responder": "child",
        "response": "given",
        "explicitness": "explicit",
        "form": "written",
        "how_signalled": "Signed the form after we talked it through.",
        **_date("responded_on", today - timedelta(days=1)),
        "criterion_understands_question": "on",
        "criterion_understands_what": "on",
        "criterion_understands_reasons": "on",
        "criterion_understands_implications": "on",
        "criterion_weighs_alternatives": "on",
        "criterion_own_view": "on",
        "criterion_consistent": "on",
        "child_competent": "yes",
        "assessed_by": "Priya Shah, social worker",
        **_date("assessed_on", today - timedelta(days=1)),
        "explained_how": "In plain words at home, with time to ask questions.",
        "language": "English",
        "scope_information": "That she has asked for support with anxiety.",
        "scope_purposes": "A referral for emotional support.",
        "scope_recipient_kinds": ["school", "health"],
        "scope_recipients": "The school nurse",
        "scope_recipient_use": "To offer support sessions.",
        "told_can_withdraw": "yes",
        **_date("review_on", today + timedelta(days=180)),
    }
    data.update(overrides)
    return data


def by_parent(adult_id, **overrides):
    data = consent_post(responder=str(adult_id), child_competent="", assessed_by="", explained_how="")
    for key in list(data):
        if key.startswith(("criterion_", "assessed_on")):
            del data[key]
    data.update(overrides)
    return data


def by_young_person(**overrides):
    """The child's own answer at 16 or 17: nothing about their understanding, which need not be assessed (3.3.15)."""
    data = consent_post(child_competent="", assessed_by="", explained_how="", language="")
    for key in list(data):
        if key.startswith(("criterion_", "assessed_on")):
            del data[key]
    data.update(overrides)
    return data


def refusal(data):
    """The same answer, refused: nothing about withdrawing or a review, which a refusal is not asked (3.3.21-3.3.22)."""
    data = {**data, "response": "refused", "told_can_withdraw": ""}
    for key in ("review_on_0", "review_on_1", "review_on_2"):
        data[key] = ""
    return data


def _is_a_page_of_recording_consent(url: str) -> bool:
    path = url.split("?")[0]
    return "/consent/add/" in path or path.endswith("/renew/") or "/renew/" in path


def through_the_pages(client, url, data, *, follow=False):
    """``data`` sent page by page from ``url`` (the first page of recording or renewing a consent), as a
    practitioner would answer each page with it, then recorded on the check page (with ``data``'s submission key,
    if any). Returns the first page that refused its answers, else the answer to "Record consent"."""
    data = dict(data)
    key = data.pop("submission_key", None)
    files = {name: value for name, value in data.items() if hasattr(value, "read")}
    answers = {name: value for name, value in data.items() if name not in files}
    response = client.post(url, answers)
    while response.status_code == 302 and _is_a_page_of_recording_consent(response.url):
        page = response.url.split("?")[0]
        if page.endswith("/check/"):
            return client.post(response.url, {"submission_key": key} if key else {}, follow=follow)
        for upload in files.values():
            upload.seek(0)
        response = client.post(response.url, {**answers, **files} if page.endswith("/signed-form/") else answers)
    return response
