from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from simpul.core.modules import NavEntry, SimpulModule
from simpul.core.permissions import VIEW


class CoreConfig(SimpulModule, AppConfig):
    """Core is a module too: the audit trail is its record. It keeps the API-key table, which the accounts
    module manages (pages, API, grants; see docs/decisions/0005)."""

    name = "simpul.core"
    label = "core"
    verbose_name = _("Core")

    order = 90
    navigation = (
        NavEntry(_("Audit trail"), "core:auditentry_list", "core.auditentry"),
        # Those who follow workflows across the instansi; the others reach a record's events from its page.
        NavEntry(
            _("Workflow events"),
            "core:workflowevent_list",
            "core.workflowevent",
            roles=(
                "admin_spbe",
                "evaluator_pj",
                "evaluator_pengumpul",
                "evaluator_analis",
                "evaluator_operator",
                "auditor",
            ),
        ),
    )
    # The audit trail is for auditors and the Admin SPBE. A workflow event is seen by whoever may view its
    # record (the record decides, see WorkflowEvent.scope_record_fields), so every role that views records
    # with workflows holds it. Import jobs, the schedule and the chain head are reached through no
    # restrict(), so none is granted.
    grants = {
        "admin_spbe": {"core.auditentry": VIEW, "core.workflowevent": VIEW},
        "koordinator": {"core.workflowevent": VIEW},
        "evaluator_pj": {"core.workflowevent": VIEW},
        "evaluator_pengumpul": {"core.workflowevent": VIEW},
        "evaluator_analis": {"core.workflowevent": VIEW},
        "evaluator_operator": {"core.workflowevent": VIEW},
        "operator_opd": {"core.workflowevent": VIEW},
        "pimpinan": {"core.workflowevent": VIEW},
        "auditor": {"core.auditentry": VIEW, "core.workflowevent": VIEW},
    }
    urls = "simpul.core.urls"
    api_urls = "simpul.core.api.urls"

    def ready(self) -> None:
        from django.core import checks
        from django.core.signals import setting_changed

        from simpul.core import audit  # noqa: F401  (connects the audit signal handlers)
        from simpul.core import checks as module_checks
        from simpul.core.api import schema  # noqa: F401  (registers the OpenAPI extensions)
        from simpul.core.api.views import CachedSchemaView
        from simpul.core.tables import remember_signatures

        remember_signatures()
        checks.register(module_checks.check_modules)
        setting_changed.connect(module_checks.forget_on_setting_change, dispatch_uid="simpul_forget_declarations")
        setting_changed.connect(CachedSchemaView.forget, dispatch_uid="simpul_forget_schema")
