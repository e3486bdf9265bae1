"""Disposing of a record's content at the end of its retention period, keeping its place in the log.

The record's row (and the rows hashed with it) are deleted; its entry, its
leaf and every proof through it stay. A ``Disposal``, itself entered in the
log, says when, under which rule and by whom, so verification reports the
entry as disposed of rather than removed. The retention schedule that decides
what to dispose of is not built yet; this is the mechanism it will call.

Run by the tables' owner, never by the service's role: the immutability
triggers are lifted for this one transaction (ADR 13).
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from ledger import immutability, services
from ledger.models import Disposal, Entry, LedgerRecord


class NotDisposable(Exception):
    pass


@transaction.atomic
def record_dispose(*, record: LedgerRecord, rule: str, disposed_by: str) -> Disposal:
    if not rule.strip() or not disposed_by.strip():
        raise NotDisposable("A disposal needs the retention rule and who disposed of the record")
    entry = Entry.objects.filter(kind=record.ledger_kind, record_id=record.ledger_record_id).first()
    if entry is None:
        raise NotDisposable(f"{record._meta.verbose_name} {record.pk} is not in the log")
    model = type(record)
    parts = [model._meta.get_field(name) for name in model.ledger_parts]
    tables = (model._meta.db_table, *(part.related_model._meta.db_table for part in parts))
    disposal = Disposal(entry=entry, disposed_at=timezone.now(), rule=rule.strip(), disposed_by=disposed_by.strip())
    services.append(disposal)
    with immutability.lifted(connection, tables):
        for part in parts:
            part.related_model.objects.filter(**{part.field.attname: record.pk})._raw_delete(connection.alias)
        model.objects.filter(pk=record.pk)._raw_delete(connection.alias)
    return disposal
