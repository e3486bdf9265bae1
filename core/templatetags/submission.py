import uuid

from django import template
from django.utils.html import format_html

register = template.Library()

FIELD = "submission_key"


@register.simple_tag(takes_context=True)
def submission_key(context) -> str:
    """A hidden key that makes sending this form twice record it once.

    A form shown again with errors keeps the key it was sent with.
    """
    request = context.get("request")
    sent = request.POST.get(FIELD, "") if request is not None and request.method == "POST" else ""
    try:
        key = uuid.UUID(sent)
    except ValueError:
        key = uuid.uuid4()
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, key)
