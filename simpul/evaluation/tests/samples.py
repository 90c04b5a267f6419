"""The evaluation's records for the generated permission matrix: a 2024 period in each instansi (A's
items with OPD A1, a few with A2; B's with B1), with evidence, a national result, an index result and
an improvement action on items of each OPD. Frameworks and their indicators come from the migrations."""

from django.core.files.uploadedfile import SimpleUploadedFile

from simpul.evaluation import evidence, services
from simpul.evaluation.models import (
    EvaluationPeriod,
    Framework,
    ImprovementAction,
    NationalStageResult,
    PeriodScore,
)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def create_samples(world) -> None:
    framework = Framework.objects.get(code="permenpanrb-59-2020")
    period_a = services.create_period(
        world.admin_a, EvaluationPeriod(instansi=world.inst_a, year=2024, framework=framework), default_pic=world.a1
    )
    period_b = services.create_period(
        world.admin_b, EvaluationPeriod(instansi=world.inst_b, year=2024, framework=framework), default_pic=world.b1
    )
    for item in period_a.assessments.order_by("indicator__number")[:3]:
        services.assign_pic(world.admin_a, item, world.a2)
    for period, opd, operator, admin in (
        (period_a, world.a1, world.operator_a1, world.admin_a),
        (period_a, world.a2, world.operator_a2, world.admin_a),
        (period_b, world.b1, world.operator_b1, world.admin_b),
    ):
        item = period.assessments.filter(pic=opd).order_by("indicator__number").first()
        evidence.add_file(operator, item, SimpleUploadedFile(f"bukti-{opd.short_name}.pdf", PDF))
        NationalStageResult.objects.create(assessment=item, stage="document", level=3)
        action = services.create_action(
            admin,
            ImprovementAction(
                owner=opd,
                period=period,
                indicator=item.indicator,
                item_key=item.item_key,
                from_level=2,
                to_level=3,
                title=f"Naikkan {item.item_key} ({opd.short_name})",
            ),
        )
        # A workflow event of this OPD.
        services.action_transition(operator, action, "start")
    for period in (period_a, period_b):
        PeriodScore.objects.create(period=period, basis="self", index=2.5, raw_index=2.5, assessed=1, total=47)
