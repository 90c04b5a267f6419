"""The global search (/search/?q=): every module's providers asked at once, results grouped by module.

A module offers records to the search with `SearchProvider`s in its `SimpulModule.search_providers`.
A provider searches as the module's own list page does (its filter set's `q`, over its
`search_fields`), among the records the user may view (`restrict()`), and returns at most `limit`
of them with a link to the list page for the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils.module_loading import import_string

from simpul.core import modules, ordering, permissions

# Shorter terms match nearly everything and would only make every provider read its limit.
MIN_LENGTH = 2
MAX_LENGTH = 100


@dataclass(frozen=True)
class SearchProvider:
    """One kind of record offered to the global search.

    `model` is "app.Model"; `filterset` the dotted path of the filter set of its list page, whose `q`
    search is used; `list_url` the URL name of that list page ("show all" links there with `?q=`);
    `detail` a method or attribute of a record shown beside its name; `label` defaults to the model's
    plural name.
    """

    model: str
    filterset: str
    list_url: str = ""
    label: str = ""
    detail: str = ""
    select_related: tuple[str, ...] = ()
    limit: int = 10

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def title(self) -> str:
        return str(self.label or self.model_class._meta.verbose_name_plural)

    def visible_to(self, user) -> bool:
        return permissions.has_model_permission(user, "view", self.model_class)

    def search(self, request, text: str) -> ProviderResults:
        """At most `limit` matches among the records the user may view, and whether there are more."""
        model = self.model_class
        queryset = permissions.restrict(model._default_manager.all(), request.user, "view")
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        filterset = import_string(self.filterset)({"q": text}, queryset=queryset, request=request)
        if not filterset.is_valid():
            return ProviderResults(self)
        found = filterset.qs
        found = ordering.to_primary_key(found) or found
        rows = list(found[: self.limit + 1])
        more_url = ""
        if self.list_url:
            more_url = f"{reverse(self.list_url)}?{urlencode({'q': text})}"
        return ProviderResults(
            self,
            hits=[Hit(str(obj), _url(obj), self._describe(obj)) for obj in rows[: self.limit]],
            has_more=len(rows) > self.limit,
            more_url=more_url,
        )

    def _describe(self, obj) -> str:
        if not self.detail:
            return ""
        value = getattr(obj, self.detail)
        value = value() if callable(value) else value
        return "" if value is None else str(value)


@dataclass
class Hit:
    text: str
    url: str
    detail: str = ""


@dataclass
class ProviderResults:
    provider: SearchProvider
    hits: list[Hit] = field(default_factory=list)
    has_more: bool = False
    more_url: str = ""

    @property
    def title(self) -> str:
        return self.provider.title


@dataclass
class ModuleResults:
    label: str
    name: str
    sections: list[ProviderResults] = field(default_factory=list)


def _url(obj) -> str:
    url = getattr(obj, "get_absolute_url", None)
    return url() if url else ""


def providers_for(user) -> list[tuple[object, SearchProvider]]:
    """(module, provider) pairs whose records the user may view at least some of."""
    return [(module, provider) for module, provider in modules.search_providers() if provider.visible_to(user)]


def search(request, text: str) -> list[ModuleResults]:
    """The matches of every provider open to the user, grouped by module; modules without any left out."""
    groups: dict[str, ModuleResults] = {}
    for module, provider in providers_for(request.user):
        results = provider.search(request, text)
        if not results.hits:
            continue
        group = groups.setdefault(module.label, ModuleResults(module.label, str(module.verbose_name)))
        group.sections.append(results)
    return list(groups.values())
