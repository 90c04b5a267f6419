"""The roles of Simpul: the kernel's catalogue of who works in SPBE, and where each role may be held.

A role here has only a name, a description and its scopes. What it may do is granted by each module,
for the module's own models, in the module's AppConfig (`SimpulModule.grants`). Deny by default: a role
that no module grants a model cannot see it, and a new module is closed to every role until it says
otherwise. `simpul permissions table` prints the whole policy (docs/permissions.md).

A role is held within a scope (see RoleAssignment): its grants then apply to the records of that
instansi, or of that one OPD.
"""

from django.utils.translation import gettext_lazy as _

from simpul.core.permissions import Role

ROLES: dict[str, Role] = {
    "admin_spbe": Role(
        label=_("Admin SPBE"),
        description=_("Runs the platform for the instansi (DISKOMINFO)."),
        scopes=("instansi",),
    ),
    "koordinator": Role(
        label=_("Tim Koordinasi SPBE"),
        description=_("Steers SPBE: roadmap, policy, evaluation results."),
        scopes=("instansi",),
    ),
    "evaluator_pj": Role(
        label=_("Evaluator: person in charge"),
        description=_("Penanggung jawab of the internal SPBE evaluation."),
        scopes=("instansi",),
    ),
    "evaluator_pengumpul": Role(label=_("Evaluator: data collector"), scopes=("instansi",)),
    "evaluator_analis": Role(label=_("Evaluator: data analyst"), scopes=("instansi",)),
    "evaluator_operator": Role(label=_("Evaluator: data entry operator"), scopes=("instansi",)),
    "operator_opd": Role(
        label=_("Operator OPD"),
        description=_("Keeps the records of one OPD current."),
        scopes=("opd",),
    ),
    "pimpinan": Role(
        label=_("Pimpinan"),
        description=_("Bupati, Sekda or head of an OPD: reads dashboards and reports."),
    ),
    "auditor": Role(
        label=_("Auditor"),
        description=_("Reads everything, including the audit trail."),
        scopes=("instansi",),
    ),
    "asn": Role(
        label=_("ASN"),
        description=_("Civil servant using the administration service portal."),
    ),
}
