"""Model instances made cheaply: millions are made, and ``Model.__init__`` costs more than the rest of a row."""

from __future__ import annotations

from django.db import models
from django.db.models.base import ModelState

_checked: set[type[models.Model]] = set()


def unsaved(model: type[models.Model], values: dict) -> models.Model:
    """What ``model(**values)`` makes when ``values`` names every field by its attribute name.

    The first instance of each model is checked to name every field, so that
    none is silently left without a value.
    """
    if model not in _checked:
        missing = {field.attname for field in model._meta.concrete_fields} - values.keys()
        if missing:
            raise ValueError(f"{model.__name__} made without {', '.join(sorted(missing))}")
        _checked.add(model)
    instance = model.__new__(model)
    instance._state = ModelState()
    instance.__dict__.update(values)
    return instance
