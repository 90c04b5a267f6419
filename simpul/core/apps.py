from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "simpul.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from simpul.core import audit  # noqa: F401  (connects the audit signal handlers)
        from simpul.core.api import schema  # noqa: F401  (registers the OpenAPI authentication extensions)
        from simpul.core.tables import remember_signatures

        remember_signatures()
