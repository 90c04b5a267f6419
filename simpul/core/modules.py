"""The module contract: what each Simpul module adds to the platform, declared on its AppConfig.

A module is a Django app whose AppConfig also inherits `SimpulModule` and sets its class attributes:
menu entries, grants per role, home cards, demo loader and users, record types other modules may link
to, URL modules, search providers, and the models another app keeps for the module (`manages`). Core
reads them from `django.apps.apps.get_app_configs()` when it needs them; nothing is registered at import
time. Adding a module is therefore: create the app, add it to INSTALLED_APPS.

Code that the declarations point to (views, cards, demo loaders) is named by dotted path, so an apps.py
imports no models and no views; only the small declaration classes of core (`NavEntry` here,
`links.LinkableType`, `search.SearchProvider`) and the action sets of `permissions`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.urls import include, path
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class NavEntry:
    """A menu entry, shown to users who may view at least some records of `model` ("app.model").

    `roles`, when given, shows it only to holders of one of these roles (and superusers): a page that other
    roles reach from their records, not from the menu.
    """

    label: str
    url_name: str
    model: str
    roles: tuple[str, ...] = ()


class SimpulModule:
    """Mixin for a module's AppConfig (`class ArchitectureConfig(SimpulModule, AppConfig)`).

    Every attribute is optional; a module declares only what it has. See docs/development.md,
    "Adding a module", for a worked example.
    """

    # The module's place among modules: menu entries, home cards and search results follow it.
    order: int = 100
    # Menu entries, in the order shown.
    navigation: Sequence[NavEntry] = ()
    # role key -> {"<label>.<model>" or "<label>.*": actions}, for this module's own models only. A
    # model no module grants to a role is closed to it (deny by default); "<label>.<model>" wins over
    # "<label>.*". The roles themselves are the kernel's catalogue (simpul/organizations/roles.py).
    grants: Mapping[str, Mapping[str, frozenset[str]]] = {}
    # Dotted path to callable(request) -> list[core.cards.Card]; it decides per user which cards to show.
    home_cards: str = ""
    # Dotted path to callable(user, instansi, opd=None) -> list[core.executive.Section]: the module's part of
    # the executive dashboard (for the instansi, or narrowed to one OPD's report card).
    executive_sections: str = ""
    # Dotted path to callable(user, indicator, instansi_id) -> list[core.links.EvidenceHint]: the module's
    # records proposed as evidence of one evaluation indicator, which the evaluation's hints show beside its
    # own (so the evaluation imports no other module).
    evidence_hints: str = ""
    # Dotted path to callable(context) that loads the module's part of the demo; the labels of the
    # modules whose demo must be loaded first.
    demo_loader: str = ""
    demo_requires: Sequence[str] = ()
    # Dotted path to a sequence of demo users (each with `username` and `role`) that the loader creates.
    demo_users: str = ""
    # Records other modules may link to, e.g. as evaluation evidence (core.links.LinkableType).
    linkable_types: Sequence = ()
    # The module's pages: URL module (with its own app_name) and prefix; None means "<label>/".
    urls: str = ""
    url_prefix: str | None = None
    # The module's API under /api/: URL module (a router) and prefix; None means "<label>/".
    api_urls: str = ""
    api_prefix: str | None = None
    # What the module offers to the global search (core.search.SearchProvider).
    search_providers: Sequence = ()
    # A URL module included at the site root without a namespace, for the few routes that must keep a bare
    # name or a path outside the module's prefix (sign-in: Django looks up LOGIN_URL = "login").
    root_urls: str = ""
    # Models another app keeps whose pages, API and grants are this module's ("app.model"): core keeps the
    # API-key table for accounts, because the audit chain names it (docs/decisions/0005). The module grants
    # them and names their pages in its own namespace ("accounts:apikey_detail").
    manages: Sequence[str] = ()


def simpul_modules() -> list:
    """The AppConfigs of every installed Simpul module, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if isinstance(config, SimpulModule)]


def by_order() -> list:
    """The modules by their `order`, then by INSTALLED_APPS order."""
    return sorted(simpul_modules(), key=lambda module: module.order)


def navigation() -> list[NavEntry]:
    return [entry for module in by_order() for entry in module.navigation]


def home_card_sources() -> list[Callable]:
    """The modules' home-card callables, in module order."""
    return [import_string(module.home_cards) for module in by_order() if module.home_cards]


def executive_section_sources() -> list[Callable]:
    """The modules' executive-dashboard callables, in module order."""
    return [import_string(module.executive_sections) for module in by_order() if module.executive_sections]


def evidence_hint_sources() -> list[Callable]:
    """The modules' evidence-hint callables, in module order."""
    return [import_string(module.evidence_hints) for module in by_order() if module.evidence_hints]


def linkable_types() -> list:
    return [entry for module in by_order() for entry in module.linkable_types]


def search_providers() -> list[tuple[object, object]]:
    """(module, provider) pairs in module order."""
    return [(module, provider) for module in by_order() for provider in module.search_providers]


def url_patterns() -> list:
    """One include per module with pages, at its prefix."""
    return [path(ui_prefix(module), include(module.urls)) for module in simpul_modules() if module.urls]


def api_url_patterns() -> list:
    """One include per module with an API, at its prefix under /api/."""
    return [path(api_prefix(module), include(module.api_urls)) for module in simpul_modules() if module.api_urls]


def root_url_patterns() -> list:
    """The modules' un-namespaced routes at the site root (`root_urls`)."""
    return [path("", include(module.root_urls)) for module in simpul_modules() if module.root_urls]


def managers() -> dict[str, str]:
    """ "app.model" -> label of the module that manages that model for the app keeping it (`manages`)."""
    return {model: module.label for module in simpul_modules() for model in module.manages}


def url_namespace(model) -> str:
    """The URL namespace of a model's pages: its managing module's, else its own app's."""
    meta = model._meta
    for module in simpul_modules():
        if meta.label_lower in module.manages:
            return module.label
    return meta.app_label


def ui_prefix(module) -> str:
    return f"{module.label}/" if module.url_prefix is None else module.url_prefix


def api_prefix(module) -> str:
    return f"{module.label}/" if module.api_prefix is None else module.api_prefix


# --- Demo -----------------------------------------------------------------------------------------


def demo_order() -> list:
    """The modules with a demo loader, each after the modules it requires (a topological sort).

    Modules that do not depend on each other keep their INSTALLED_APPS order, so the order is the same
    on every run. A requirement that is not an installed module, or a cycle, is an ImproperlyConfigured
    naming the modules concerned.
    """
    modules = {module.label: module for module in simpul_modules()}
    for module in modules.values():
        missing = [label for label in module.demo_requires if label not in modules]
        if missing:
            raise ImproperlyConfigured(
                f"Module {module.label!r} needs the demo of {', '.join(map(repr, missing))}, "
                "which is not an installed Simpul module."
            )
    ordered: list = []
    done: set[str] = set()
    waiting = list(modules.values())
    while waiting:
        ready = next((module for module in waiting if set(module.demo_requires) <= done), None)
        if ready is None:
            cycle = ", ".join(f"{m.label} (needs {', '.join(m.demo_requires)})" for m in waiting)
            raise ImproperlyConfigured(f"The demo requirements of these modules form a cycle: {cycle}.")
        waiting.remove(ready)
        done.add(ready.label)
        ordered.append(ready)
    return [module for module in ordered if module.demo_loader]


def demo_loaders() -> list[Callable]:
    return [import_string(module.demo_loader) for module in demo_order()]


def load_demo(context) -> None:
    """Run every module's demo loader in dependency order (the caller holds the transaction)."""
    for loader in demo_loaders():
        loader(context)


def demo_users() -> list:
    """Every module's demo users (created by its loader), in demo order."""
    return [user for module in demo_order() if module.demo_users for user in import_string(module.demo_users)]
