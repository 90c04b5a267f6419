# ScheduledRun comes from core (core.0008 renamed its table to ops_scheduledrun): this migration only
# takes the model over in the migration state, and moves its content type (and so its permissions) to
# the new app label instead of leaving a stale one behind. ScheduledRun is not audited, so no audit
# entry hashes the old label.

from django.db import migrations, models


def move_content_type(old_label: str, new_label: str):
    def forwards(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        types = ContentType.objects.using(schema_editor.connection.alias)
        if not types.filter(app_label=new_label, model="scheduledrun").exists():
            types.filter(app_label=old_label, model="scheduledrun").update(app_label=new_label)

    return forwards


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0008_move_scheduledrun_to_ops"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ScheduledRun",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        ("task_path", models.CharField(max_length=200, verbose_name="task")),
                        ("slot", models.BigIntegerField(verbose_name="slot")),
                        ("enqueued_at", models.DateTimeField(auto_now_add=True, verbose_name="enqueued at")),
                        ("task_result_id", models.CharField(blank=True, max_length=64, verbose_name="job ID")),
                    ],
                    options={
                        "verbose_name": "scheduled run",
                        "verbose_name_plural": "scheduled runs",
                        "constraints": [
                            models.UniqueConstraint(fields=("task_path", "slot"), name="unique_scheduled_slot")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type("core", "ops"), move_content_type("ops", "core")),
    ]
