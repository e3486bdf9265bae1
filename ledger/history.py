"""The change history of editable records (django-simple-history) in the log.

Every historical row is entered as it is written, so a rewritten or removed
row of history is found by verification like any other record. Historical
models are found through simple-history's registry: the ledger names no
feature app.
"""

from __future__ import annotations

from django.db import models

PREFIX = "history "


def historical_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if hasattr(model, "instance_type") and model._meta.pk.attname == "history_id"
    ]


def kind_of(model: type[models.Model]) -> str:
    return PREFIX + model._meta.label_lower


def fields_of(model: type[models.Model]) -> tuple[str, ...]:
    """Every stored column of a historical row, the history id first."""
    pk = model._meta.pk.attname
    return (pk, *(field.attname for field in model._meta.concrete_fields if field.attname != pk))


def document_of(model: type[models.Model], values: dict) -> dict:
    return {"kind": kind_of(model), **values}


def document(row: models.Model) -> dict:
    model = type(row)
    return document_of(model, {name: getattr(row, name) for name in fields_of(model)})


def enter_historical_row(sender, history_instance, **kwargs) -> None:
    """post_create_historical_record: the row has just been inserted, in the writer's transaction."""
    from ledger import services

    services.enter(
        kind=kind_of(type(history_instance)), record_id=str(history_instance.pk), document=document(history_instance)
    )
