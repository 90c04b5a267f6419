# ScheduledRun moves to the ops app (docs/decisions/0005-accounts-and-ops-apps.md). The rows stay: the
# table is renamed here and ops.0001 takes the model over in the migration state only. ScheduledRun is
# not audited, so no audit entry names its content type "core.scheduledrun".

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0007_workflow_event"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="ScheduledRun", table="ops_scheduledrun"),
            ],
            state_operations=[
                migrations.DeleteModel(name="ScheduledRun"),
            ],
        ),
    ]
