# The periodic jobs moved from simpul.core.tasks to simpul.ops.tasks. django-tasks stores the task's
# dotted path in each job row and the worker imports it from there; the schedule's bookkeeping stores it
# too. Rows written before the upgrade are pointed at the new paths, so no alias has to stay at the old
# ones (core may not import ops), and the day's slot already enqueued is not enqueued a second time.

from django.db import migrations

MOVED = {
    "simpul.core.tasks.prune_finished_tasks": "simpul.ops.tasks.prune_finished_tasks",
    "simpul.core.tasks.verify_audit_chain": "simpul.ops.tasks.verify_audit_chain",
}


def rewrite(mapping: dict[str, str]):
    def forwards(apps, schema_editor):
        alias = schema_editor.connection.alias
        for model in (apps.get_model("django_tasks_database", "DBTaskResult"), apps.get_model("ops", "ScheduledRun")):
            for old, new in mapping.items():
                model.objects.using(alias).filter(task_path=old).update(task_path=new)

    return forwards


class Migration(migrations.Migration):

    dependencies = [
        ("ops", "0001_initial"),
        ("django_tasks_database", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(rewrite(MOVED), rewrite({new: old for old, new in MOVED.items()})),
    ]
