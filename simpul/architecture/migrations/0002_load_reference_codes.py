from django.db import migrations


def load(apps, schema_editor):
    from simpul.architecture.references import load_reference_codes

    load_reference_codes(apps.get_model("architecture", "ReferenceCode"))


class Migration(migrations.Migration):
    dependencies = [("architecture", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
