"""Load the policy topics shipped in simpul/governance/data/policy-topics.json."""

from django.db import migrations


def load_topics(apps, schema_editor):
    from simpul.governance import topics

    topics.load(apps)


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [migrations.RunPython(load_topics, migrations.RunPython.noop)]
