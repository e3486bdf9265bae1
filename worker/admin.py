"""The Django admin holds agencies, staff and platform settings only (ADR 11): a task's arguments can name a
record, so django-tasks-db's own page of tasks is taken out of it. For Background tasks failing, see the lead's
"For review" and docs/operations.md."""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
