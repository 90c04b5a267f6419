# Exchange identifiers become unique per instansi (Element.clean, Relationship.clean and the ArchiMate
# import check it; no database constraint can, see Element.clean). Before, one identifier could be held
# by elements of several OPDs, and an import matched whichever came last. This migration leaves the
# oldest holder of each identifier as it is and gives the others "<identifier>-dup-<pk>": still readable
# as where they came from, a valid xs:ID for the next export, and no longer matched by a re-import of
# the original file. Records of different instansi may keep sharing an identifier.

from django.db import migrations
from django.db.models import Count

MAX_LENGTH = 120  # Element.exchange_id / Relationship.exchange_id


def _deduplicate(model, instansi_path: str) -> None:
    groups = (
        model.objects.exclude(exchange_id="")
        .order_by()
        .values(instansi_path, "exchange_id")
        .annotate(holders=Count("pk"))
        .filter(holders__gt=1)
        .values_list(instansi_path, "exchange_id")
    )
    for instansi_id, exchange_id in list(groups):
        same_instansi = model.objects.filter(**{instansi_path: instansi_id})
        pks = list(
            same_instansi.filter(exchange_id=exchange_id).order_by("created_at", "pk").values_list("pk", flat=True)
        )
        for pk in pks[1:]:
            suffix = f"-dup-{pk}"
            renamed = exchange_id[: MAX_LENGTH - len(suffix)] + suffix
            if same_instansi.filter(exchange_id=renamed).exists():
                renamed = ""  # not worth a second guess: blank identifiers are never matched
            # The historical model sends no signals, so this write is not in the audit trail.
            model.objects.filter(pk=pk).update(exchange_id=renamed)


def deduplicate(apps, schema_editor):
    _deduplicate(apps.get_model("architecture", "Element"), "owner__instansi")
    _deduplicate(apps.get_model("architecture", "Relationship"), "source__owner__instansi")


class Migration(migrations.Migration):
    dependencies = [
        ("architecture", "0009_element_fewer_indexes"),
    ]

    operations = [
        # Backwards: nothing to undo (the renamed identifiers stay unique, which the old code allowed too).
        migrations.RunPython(deduplicate, migrations.RunPython.noop, elidable=True),
    ]
