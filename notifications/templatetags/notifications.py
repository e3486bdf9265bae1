"""How many notifications the signed-in person has not opened: one query, on the start page only (the
header would add it to every page's count: tests/test_query_counts.py)."""

from django import template

from notifications import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    user = context["request"].user
    return selectors.unread_count(user=user) if user.is_authenticated else 0
