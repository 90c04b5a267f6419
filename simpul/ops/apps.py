from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from simpul.core.modules import SimpulModule


class OpsConfig(SimpulModule, AppConfig):
    """Running an instance: backup and restore, the worker and its schedule, the platform's periodic
    jobs and the compiled translations. It has no pages; its commands are `simpul backup`, `restore`,
    `worker` and `compiletranslations`."""

    name = "simpul.ops"
    label = "ops"
    verbose_name = _("Operations")

    order = 95
    # Scheduled runs are the worker's bookkeeping, reached through no restrict(): granted to no one.
    grants = {}
