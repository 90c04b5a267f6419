"""System checks of the module declarations (`simpul check`, and before migrate and runserver).

Every mistake here would otherwise show only when the piece is used: a grant to another app's model
when a permission is first checked, a demo cycle when `simpul demo` runs, a misspelt model when a user
opens a menu.
"""

from __future__ import annotations

from collections import Counter

from django.apps import apps
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from simpul.core import modules, permissions


def check_modules(app_configs=None, **kwargs) -> list[checks.Error]:
    errors: list[checks.Error] = []
    for function in (permissions.grant_table, modules.demo_order):
        try:
            function()
        except ImproperlyConfigured as error:
            errors.append(checks.Error(str(error), id="simpul.E001"))
    installed = modules.simpul_modules()
    for module in installed:
        errors.extend(_check_module(module))
    errors.extend(_check_unique("URL prefix", [modules.ui_prefix(m) for m in installed if m.urls]))
    errors.extend(_check_unique("API prefix", [modules.api_prefix(m) for m in installed if m.api_urls]))
    errors.extend(_check_unique("linkable type key", [entry.key for entry in modules.linkable_types()]))
    errors.extend(_check_unique("managed model", [model for m in installed for model in m.manages]))
    return errors


def _check_module(module) -> list[checks.Error]:
    errors = []

    def error(message: str) -> None:
        errors.append(checks.Error(f"Module {module.label!r}: {message}", id="simpul.E002"))

    for grants in module.grants.values():
        for key in grants:
            if not key.endswith(".*") and not _model_exists(key):
                error(f"grants name an unknown model {key!r}.")
    if module.demo_users and not module.demo_loader:
        error("declares demo users but no demo loader to create them.")
    for label in module.manages:
        if not _model_exists(label):
            error(f"manages an unknown model {label!r}.")
        elif label.partition(".")[0] == module.label:
            error(f"manages {label!r}, its own model; `manages` is for models another app keeps.")
    for entry in module.navigation:
        if not _model_exists(entry.model):
            error(f"the menu entry {entry.label!s} names an unknown model {entry.model!r}.")
        unknown_roles = sorted(set(entry.roles) - set(permissions.roles()))
        if unknown_roles:
            error(f"the menu entry {entry.label!s} names unknown roles {unknown_roles}.")
    for entry in module.linkable_types:
        if not entry.key.startswith(f"{module.label}."):
            error(f"the linkable type key {entry.key!r} must start with '{module.label}.'.")
        if not _model_exists(entry.model_label):
            error(f"the linkable type {entry.key!r} names an unknown model {entry.model_label!r}.")
    for provider in module.search_providers:
        if not _model_exists(provider.model):
            error(f"a search provider names an unknown model {provider.model!r}.")
        try:
            import_string(provider.filterset)
        except ImportError:
            error(f"a search provider names a filter set that cannot be imported: {provider.filterset!r}.")
    for attribute in ("home_cards", "executive_sections", "evidence_hints", "demo_loader", "demo_users"):
        dotted = getattr(module, attribute)
        if dotted:
            try:
                import_string(dotted)
            except ImportError:
                error(f"{attribute} names {dotted!r}, which cannot be imported.")
    return errors


def _check_unique(what: str, values: list[str]) -> list[checks.Error]:
    return [
        checks.Error(f"Two modules declare the same {what} {value!r}.", id="simpul.E003")
        for value, count in Counter(values).items()
        if count > 1
    ]


def _model_exists(label: str) -> bool:
    try:
        apps.get_model(label)
    except (LookupError, ValueError):
        return False
    return True


def forget_on_setting_change(setting: str, **kwargs) -> None:
    """Grants and roles are cached; a test that changes the installed apps or the roles gets fresh ones."""
    if setting in {"INSTALLED_APPS", "SIMPUL_ROLES"}:
        permissions.forget_declarations()
