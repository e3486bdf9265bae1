"""An index on django-tasks-db's table for the lead's count of failing tasks (worker.selectors): the table
holds every task that succeeded in the last TASKS_KEEP_DAYS, and the failed are few among them."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("worker", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX worker_task_status_path ON django_tasks_database_dbtaskresult (status, task_path)",
            "DROP INDEX worker_task_status_path",
        )
    ]
