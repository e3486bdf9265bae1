"""``standings|standing_of:record``: a record's standing from the dict ``receipts.standings`` gives."""

from django import template

register = template.Library()


@register.filter
def standing_of(standings, record):
    if not standings or record is None:
        return None
    return standings.get(str(record.pk))
