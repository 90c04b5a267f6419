# The background import task moved from simpul.core.tasks to simpul.core.importjobs. django-tasks stores
# the task's dotted path in each job row, and the worker imports it from there: jobs queued before the
# upgrade are pointed at the new path, so no alias has to stay at the old one.

from django.db import migrations

OLD = "simpul.core.tasks.run_import_job"
NEW = "simpul.core.importjobs.run_import_job"


def rewrite(old: str, new: str):
    def forwards(apps, schema_editor):
        DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
        DBTaskResult.objects.using(schema_editor.connection.alias).filter(task_path=old).update(task_path=new)

    return forwards


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0008_move_scheduledrun_to_ops"),
        ("django_tasks_database", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(rewrite(OLD, NEW), rewrite(NEW, OLD)),
    ]
