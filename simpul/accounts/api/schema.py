"""How the API's authentication appears in the OpenAPI schema (drf-spectacular extensions).

Imported from AccountsConfig.ready(): drf-spectacular finds extensions through their subclass registry,
so this module only has to be imported once.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object

from simpul.core.models.apikeys import KEY_PREFIX


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """The account token, sent as `Authorization: Token <t>` or `Authorization: Bearer <t>`."""

    target_class = "simpul.accounts.api.authentication.BearerTokenAuthentication"
    name = ["tokenAuth", "bearerAuth"]
    # Above drf-spectacular's own TokenScheme, which matches every TokenAuthentication subclass.
    priority = 1

    def get_security_requirement(self, auto_schema) -> list[dict[str, list[Any]]]:
        # Either header form is enough on its own (OR), not both together.
        return [{"tokenAuth": []}, {"bearerAuth": []}]

    def get_security_definition(self, auto_schema) -> list[dict[str, Any]]:
        token = build_bearer_security_scheme_object(header_name="Authorization", token_prefix=self.target.keyword)
        token["description"] = "Account token from POST /api/auth/token/, sent as `Authorization: Token <token>`."
        bearer = {
            "type": "http",
            "scheme": "bearer",
            "description": "The same account token, sent as `Authorization: Bearer <token>`.",
        }
        return [token, bearer]


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """An API key of an OPD or external system; the request acts as the key's account."""

    target_class = "simpul.accounts.api.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-API-Key",
            "description": (
                f"API key `{KEY_PREFIX}_<prefix>_<secret>`, sent as `X-API-Key: <key>` or "
                "`Authorization: Api-Key <key>`. The key has exactly the permissions of the account it acts as."
            ),
        }
