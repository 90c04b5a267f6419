from django.db import migrations


def load(apps, schema_editor):
    from simpul.evaluation.loader import load_shipped

    load_shipped(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
