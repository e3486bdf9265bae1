from django.urls import path, register_converter

from sharing import guidance, views


class PagedQuestionConverter:
    """A question asked over several pages (guidance.PAGES), so that other addresses under a draft stay theirs."""

    regex = "|".join(guidance.PAGES)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(PagedQuestionConverter, "paged_question")

app_name = "sharing"

urlpatterns = [
    path("children/<uuid:child_id>/decisions/start/", views.decision_start, name="start"),
    path("decisions/drafts/", views.draft_list, name="drafts"),
    path("decisions/drafts/<uuid:draft_id>/", views.draft_task_list, name="task_list"),
    path("my-decisions/", views.my_decisions, name="mine"),
    path("decisions/drafts/<uuid:draft_id>/check/", views.draft_check, name="check"),
    path("decisions/drafts/<uuid:draft_id>/<slug:question>/", views.draft_question, name="question"),
    path(
        "decisions/drafts/<uuid:draft_id>/<paged_question:question>/<slug:page>/",
        views.draft_question,
        name="question_page",
    ),
    path(
        "decisions/drafts/<uuid:draft_id>/<paged_question:question>/items/<int:number>/",
        views.draft_item,
        name="question_item",
    ),
    path("decisions/<uuid:decision_id>/", views.decision_detail, name="decision_detail"),
    path("decisions/<uuid:decision_id>/pdf/", views.decision_pdf, name="decision_pdf"),
    path("decisions/<uuid:decision_id>/receipt/", views.decision_receipt, name="decision_receipt"),
    path("decisions/<uuid:decision_id>/addenda/", views.addendum_create, name="addendum_add"),
    path(
        "decisions/<uuid:decision_id>/addenda/<uuid:addendum_id>/receipt/",
        views.addendum_receipt,
        name="addendum_receipt",
    ),
    path("decisions/<uuid:decision_id>/reviews/add/", views.review_add, name="review_add"),
    path("decisions/<uuid:decision_id>/reviews/<uuid:review_id>/receipt/", views.review_receipt, name="review_receipt"),
    # Question 1's legal bases, kept by platform administrators.
    path("platform/legal-bases/", views.legal_basis_list, name="legal_basis_list"),
    path("platform/legal-bases/add/", views.legal_basis_add, name="legal_basis_add"),
    path("platform/legal-bases/<int:legal_basis_id>/change/", views.legal_basis_change, name="legal_basis_change"),
]
