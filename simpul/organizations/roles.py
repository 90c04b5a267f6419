"""The roles of Simpul and what each may do, per model ("app.model"), app ("app.*") or default ("*").

The most specific key wins. A role is held within a scope (see RoleAssignment): grants then apply to
the records of that instansi, or of that one OPD. Later modules add their model keys here, so the whole
permission policy of Simpul is readable in one file.
"""

from django.utils.translation import gettext_lazy as _

from simpul.core.permissions import ALL, NONE, VIEW, Role

# What every role inside an instansi may look at: the organisation itself and its OPD list.
_ORG_REFERENCE = {"organizations.instansi": VIEW, "organizations.perangkatdaerah": VIEW}
# The audit trail is for auditors and the Admin SPBE; role assignments and API keys are administration.
# The national reference tables are read by all and kept by the Admin SPBE.
_REFERENCE_READ_ONLY = {"architecture.referencecode": VIEW}
# The evaluation frameworks are national data: read by all, loaded by the Admin SPBE.
_FRAMEWORKS_READ_ONLY = {
    "evaluation.framework": VIEW,
    "evaluation.domain": VIEW,
    "evaluation.aspect": VIEW,
    "evaluation.indicator": VIEW,
    "evaluation.crosswalk": VIEW,
}
# Reviewers accept or return self-assessments and assign PICs ("review"), but do not write them ("change").
_EVALUATION_REVIEWER = {
    "evaluation.*": ALL | {"review"},
    **_FRAMEWORKS_READ_ONLY,
    "evaluation.indicatorassessment": frozenset({"view", "review"}),
}
_NO_ADMIN_DATA = {
    "core.auditentry": NONE,
    "core.apikey": NONE,
    "organizations.roleassignment": NONE,
    "organizations.user": NONE,
}

ROLES: dict[str, Role] = {
    "admin_spbe": Role(
        label=_("Admin SPBE"),
        description=_("Runs the platform for the instansi (DISKOMINFO)."),
        grants={
            "*": ALL,
            "architecture.*": ALL | {"review"},
            "evaluation.*": ALL | {"review"},
            "organizations.instansi": frozenset({"view", "change"}),
            "core.auditentry": VIEW,
        },
        scopes=("instansi",),
    ),
    "koordinator": Role(
        label=_("Tim Koordinasi SPBE"),
        description=_("Steers SPBE: roadmap, policy, evaluation results."),
        grants={"*": VIEW, **_NO_ADMIN_DATA, "organizations.user": VIEW},
        scopes=("instansi",),
    ),
    "evaluator_pj": Role(
        label=_("Evaluator: person in charge"),
        description=_("Penanggung jawab of the internal SPBE evaluation."),
        grants={"*": VIEW, **_NO_ADMIN_DATA, **_EVALUATION_REVIEWER},
        scopes=("instansi",),
    ),
    "evaluator_pengumpul": Role(
        label=_("Evaluator: data collector"),
        grants={"*": VIEW, **_NO_ADMIN_DATA, "evaluation.evidence": ALL},
        scopes=("instansi",),
    ),
    "evaluator_analis": Role(
        label=_("Evaluator: data analyst"),
        grants={
            "*": VIEW,
            **_NO_ADMIN_DATA,
            "evaluation.indicatorassessment": frozenset({"view", "review"}),
            "evaluation.improvementaction": ALL,
        },
        scopes=("instansi",),
    ),
    "evaluator_operator": Role(
        label=_("Evaluator: data entry operator"),
        grants={
            "*": VIEW,
            **_NO_ADMIN_DATA,
            "evaluation.nationalstageresult": ALL,
            "evaluation.evidence": ALL,
        },
        scopes=("instansi",),
    ),
    "operator_opd": Role(
        label=_("Operator OPD"),
        description=_("Keeps the records of one OPD current."),
        grants={
            "*": ALL,
            **_ORG_REFERENCE,
            **_NO_ADMIN_DATA,
            "organizations.user": VIEW,
            "core.apikey": ALL,
            **_REFERENCE_READ_ONLY,
            "architecture.changeproposal": frozenset({"view", "add"}),
            # As PIC of evaluation indicators: fills in its own, with evidence; the rest is read-only.
            "evaluation.*": VIEW,
            **_FRAMEWORKS_READ_ONLY,
            "evaluation.indicatorassessment": frozenset({"view", "change"}),
            "evaluation.evidence": ALL,
            "evaluation.improvementaction": frozenset({"view", "change"}),
        },
        scopes=("opd",),
    ),
    "pimpinan": Role(
        label=_("Pimpinan"),
        description=_("Bupati, Sekda or head of an OPD: reads dashboards and reports."),
        grants={"*": VIEW, **_NO_ADMIN_DATA},
    ),
    "auditor": Role(
        label=_("Auditor"),
        description=_("Reads everything, including the audit trail."),
        grants={"*": VIEW, "core.auditentry": VIEW, "core.apikey": VIEW, "organizations.user": VIEW},
        scopes=("instansi",),
    ),
    "asn": Role(
        label=_("ASN"),
        description=_("Civil servant using the administration service portal."),
        grants={**_ORG_REFERENCE, **_REFERENCE_READ_ONLY, **_FRAMEWORKS_READ_ONLY},
    ),
}
