from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchitectureConfig(AppConfig):
    name = "simpul.architecture"
    label = "architecture"
    verbose_name = _("SPBE architecture")

    def ready(self) -> None:
        from simpul.architecture import signals

        signals.connect()  # keeps the version of each instansi's relationship graph current
