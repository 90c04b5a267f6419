from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from simpul.core.modules import SimpulModule
from simpul.core.permissions import ALL, VIEW


class AccountsConfig(SimpulModule, AppConfig):
    """Sign-in, two-factor, account tokens and API keys.

    The API-key table stays core's (`core.ApiKey`): the audit chain hashes each entry's record type as
    `app_label.model`, so moving the model would break `simpul audit verify` for every API-key entry
    already written (docs/decisions/0005). This module manages it: its pages, API and grants are here.
    """

    name = "simpul.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    order = 85
    manages = ("core.apikey",)
    # API keys are administration, and an operator keeps the keys of its own OPD's systems.
    grants = {
        "admin_spbe": {"core.apikey": ALL},
        "auditor": {"core.apikey": VIEW},
        "operator_opd": {"core.apikey": ALL},
    }
    # Sign-in keeps its bare URL names (Django's LOGIN_URL is "login"), and the API keys' old pages under
    # /core/api-keys/ redirect to their new place.
    root_urls = "simpul.accounts.root_urls"
    urls = "simpul.accounts.urls"
    # The API keeps the paths clients know: /api/auth/token/ and /api/core/api-keys/.
    api_urls = "simpul.accounts.api.urls"
    api_prefix = ""

    def ready(self) -> None:
        from simpul.accounts.api import schema  # noqa: F401  (registers the OpenAPI authentication extensions)
