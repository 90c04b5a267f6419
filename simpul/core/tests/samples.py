"""Core's records for the generated permission matrix (core/tests/permission_matrix.py): API keys and
import jobs inside OPD A1, elsewhere in instansi A, and in instansi B. Audit entries and workflow
events come from the other modules' samples, which write through the audited services."""

from simpul.core.models import ApiKey, ImportJob
from simpul.organizations.tests.factories import user_with_role


def create_samples(world) -> None:
    world.operator_b1 = user_with_role("operator_opd", world.inst_b, world.b1, username="operator-b1")
    for name, instansi, owner, user in (
        ("Kunci A1", world.inst_a, world.a1, world.operator_a1),
        ("Kunci A2", world.inst_a, world.a2, world.operator_a2),
        ("Kunci A", world.inst_a, None, world.admin_a),
        ("Kunci B1", world.inst_b, world.b1, world.operator_b1),
    ):
        key = ApiKey(name=name, instansi=instansi, owner=owner, user=user)
        key.issue()
        key.save()
    for user in (world.operator_a1, world.operator_a2, world.admin_a, world.admin_b):
        ImportJob.objects.create(
            user=user,
            config_path="simpul.architecture.views.ApplicationViews",
            model_label="architecture.application",
            original_name=f"impor-{user.username}.csv",
            mode=ImportJob.Mode.PREVIEW,
        )
