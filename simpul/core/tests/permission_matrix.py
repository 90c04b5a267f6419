"""The generated permission matrix: what every actor must get from every channel of every model.

Like NetBox's constrained-permission test mixins, but derived from Simpul's own declarations rather
than written per view: the channels come from the URL configuration (the generic `ModelViews` pages,
`<model>_download` views, the API's model viewsets), the actors from the role catalogue (each role held
for an instansi and for an OPD, where its scopes allow), and the expectation from the modules' grants
and each model's scope paths. The expectation is computed here in Python, row by row, by following
the scope paths on the sample records; it never calls `restrict()`, so a channel that forgets the
check, applies the wrong action or leaks across instansi shows up as a wrong row or status.

Each module provides its sample records in `<app>/tests/samples.py` (`create_samples(world)`): at
least one record of each model that has a channel inside OPD A1 and one outside it. A module without
samples fails `test_every_model_with_a_channel_has_samples_inside_and_outside_a_scope`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from simpul.core import modules, permissions
from simpul.core.api.viewsets import ScopedModelViewSet
from simpul.core.views.generic import ModelViews
from simpul.organizations.models import RoleAssignment
from simpul.organizations.tests.factories import UserFactory

UI_KINDS = ("list", "detail", "add", "edit", "delete", "import")
API_ACTIONS = {"list": "get", "retrieve": "get", "partial_update": "patch", "destroy": "delete"}


@dataclass
class ApiEndpoint:
    viewset: type
    list_name: str | None = None
    detail_name: str | None = None
    actions: set[str] = field(default_factory=set)

    def base_queryset(self):
        return self.viewset.queryset.all()

    def detail_url(self, obj) -> str:
        lookup = self.viewset.lookup_field
        kwarg = self.viewset.lookup_url_kwarg or lookup
        return reverse(self.detail_name, kwargs={kwarg: getattr(obj, lookup)})


@dataclass
class Channels:
    """Every way into one model's records."""

    model: type
    pages: dict[str, str] = field(default_factory=dict)  # kind -> URL name
    config: type[ModelViews] | None = None
    downloads: list[str] = field(default_factory=list)
    api: list[ApiEndpoint] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


def _walk(resolver: URLResolver, namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


@cache
def channels() -> dict[str, Channels]:
    """model label -> its channels, for every model of every installed Simpul module that has one."""
    found: dict[str, Channels] = {}

    def entry(model) -> Channels:
        return found.setdefault(model._meta.label_lower, Channels(model))

    models_by_namespace: dict[tuple[str, str], type] = {}
    for module in modules.simpul_modules():
        for model in module.get_models():
            models_by_namespace[(modules.url_namespace(model), model._meta.model_name)] = model
        for label in module.manages:
            model = apps.get_model(label)
            models_by_namespace[(modules.url_namespace(model), model._meta.model_name)] = model

    for name, pattern in _walk(get_resolver()):
        callback = pattern.callback
        config = getattr(callback, "view_initkwargs", {}).get("config")
        short = name.rsplit(":", 1)[-1]
        if isinstance(config, type) and issubclass(config, ModelViews):
            kind = short.rsplit("_", 1)[-1]
            if kind in UI_KINDS and short == f"{config.name()}_{kind}":
                channel = entry(config.model)
                channel.pages[kind] = name
                channel.config = config
            continue
        viewset = getattr(callback, "cls", None)
        if isinstance(viewset, type) and issubclass(viewset, ScopedModelViewSet) and _serves_records(viewset):
            # The router offers every method a ModelViewSet has; a viewset narrows them with
            # http_method_names (a read-only key list answers PATCH with 405).
            actions = {
                action
                for action in getattr(callback, "actions", {}).values()
                if API_ACTIONS.get(action) in viewset.http_method_names
            }
            if not actions:
                continue
            channel = entry(viewset.queryset.model)
            endpoint = next((e for e in channel.api if e.viewset is viewset), None)
            if endpoint is None:
                endpoint = ApiEndpoint(viewset)
                channel.api.append(endpoint)
            endpoint.actions |= actions
            if "list" in actions:
                endpoint.list_name = name
            else:
                endpoint.detail_name = name
            continue
        if short.endswith("_download") and ":" in name:
            namespace = name.rsplit(":", 1)[0].rsplit(":", 1)[-1]
            model = models_by_namespace.get((namespace, short.removesuffix("_download")))
            if model is not None:
                entry(model).downloads.append(name)
    return found


def _serves_records(viewset) -> bool:
    """A viewset whose rows are the records of its queryset's model (not a report computed from them)."""
    if viewset.queryset is None:
        return False
    meta = getattr(getattr(viewset, "serializer_class", None), "Meta", None)
    return getattr(meta, "model", None) is viewset.queryset.model


# --- The expectation -------------------------------------------------------------------------------


def _follow(obj, path: str | None) -> int | None:
    """The id at the end of a scope path ("owner__instansi", "instansi_id", "pk"), read attribute by
    attribute on the record, not through a query."""
    if path is None:
        return None
    if path == "pk":
        return obj.pk
    value = obj
    *hops, last = path.split("__")
    for hop in hops:
        value = getattr(value, hop)
        if value is None:
            return None
    if last == "pk" or last.endswith("_id"):
        return getattr(value, last)
    return getattr(value, value._meta.get_field(last).attname)


@dataclass(frozen=True)
class Place:
    """Where a record lives: its instansi and OPD, and whether its instansi shares it among its OPDs.

    A row about another record (a workflow event, `scope_record_fields`) lives where that record does:
    `about` is the record's model and place.
    """

    instansi_id: int | None
    opd_id: int | None
    shared: bool
    about: tuple | None = None
    # The OPD that may read the record besides its owner (`scope_viewer_opd_path`).
    viewer_opd_id: int | None = None


def place_of(obj, shared_ids: frozenset) -> Place:
    model = type(obj)
    about = None
    record_fields = getattr(model, "scope_record_fields", None)
    if record_fields:
        type_field, id_field = record_fields
        record_model = getattr(obj, type_field).model_class()
        record = record_model._default_manager.get(pk=getattr(obj, id_field))
        about = (record_model, place_of(record, shared_ids_of(record_model)))
    return Place(
        _follow(obj, getattr(model, "scope_instansi_path", None)),
        _follow(obj, getattr(model, "scope_opd_path", None)),
        obj.pk in shared_ids,
        about,
        _follow(obj, getattr(model, "scope_viewer_opd_path", None)),
    )


def shared_ids_of(model) -> frozenset:
    shared_q = getattr(model, "scope_shared_q", None)
    if shared_q is None:
        return frozenset()
    return frozenset(model._default_manager.filter(shared_q).values_list("pk", flat=True))


@dataclass
class Actor:
    """One user holding one role in one scope (or a superuser, or nobody signed in)."""

    key: str
    user: object | None
    role: str | None = None
    instansi_id: int | None = None
    opd_id: int | None = None

    @property
    def anonymous(self) -> bool:
        return self.user is None

    @property
    def superuser(self) -> bool:
        return self.user is not None and self.user.is_superuser

    def actions_on(self, model) -> frozenset[str]:
        if self.anonymous:
            return frozenset()
        if self.superuser:
            return frozenset(permissions.ACTIONS)
        return permissions.role_actions(self.role, model._meta.label_lower)

    def may(self, action: str, model, place: Place) -> bool:
        """The policy, row by row: the role's grant on the model (or its app), within the role's scope."""
        if action not in self.actions_on(model):
            return False
        if self.superuser:
            return True
        if place.about is not None:
            record_model, record_place = place.about
            return self.may("view", record_model, record_place)
        instansi_path = getattr(model, "scope_instansi_path", None)
        opd_path = getattr(model, "scope_opd_path", None)
        if instansi_path is None and opd_path is None:
            return True  # national data
        if self.opd_id is not None and opd_path:
            if place.opd_id == self.opd_id:
                return True
            if action == "view" and place.viewer_opd_id is not None and place.viewer_opd_id == self.opd_id:
                return True
            # An instansi's shared records (its published architecture) are read by all of its OPDs.
            return action == "view" and place.shared and bool(instansi_path) and place.instansi_id == self.instansi_id
        if instansi_path:
            return place.instansi_id == self.instansi_id
        return False


def make_actors(world) -> list[Actor]:
    """Each role held for instansi A and for OPD A1, as its scopes allow; a superuser; an anonymous visitor."""
    actors = [Actor("anonymous", None)]
    root = UserFactory(username="matrix-root", is_superuser=True, is_staff=True, instansi=world.inst_a)
    actors.append(Actor("superuser", root))
    for role_key, role in sorted(permissions.roles().items()):
        for scope in role.scopes:
            opd = world.a1 if scope == "opd" else None
            user = UserFactory(username=f"matrix-{role_key}-{scope}", instansi=world.inst_a, opd=opd)
            RoleAssignment.objects.create(user=user, role=role_key, instansi=world.inst_a, opd=opd)
            actors.append(Actor(f"{role_key}@{scope}", user, role_key, world.inst_a.pk, opd.pk if opd else None))
    return actors


# --- Samples ---------------------------------------------------------------------------------------


@cache
def sample_modules() -> list:
    """`<app>.tests.samples` of every installed Simpul module that has one, in the modules' order."""
    found = []
    for module in modules.simpul_modules():
        try:
            found.append(importlib.import_module(f"{module.name}.tests.samples"))
        except ModuleNotFoundError as error:
            if error.name not in (f"{module.name}.tests", f"{module.name}.tests.samples"):
                raise
    return found


def create_samples(world) -> None:
    for samples in sample_modules():
        samples.create_samples(world)


def refused_beyond_grants(actor: Actor, what: str, obj, place: Place) -> bool:
    """Whether a module's own rule refuses (403) an allowed write on a record the actor may see.

    `what` is "edit" or "delete" (pages) or "api_patch" or "api_delete". A module states such rules in
    its samples module as `refused_beyond_grants(actor, what, obj, place)`, in terms of the matrix's
    policy (e.g. a published element changes only through a reviewed proposal).
    """
    return any(
        samples.refused_beyond_grants(actor, what, obj, place)
        for samples in sample_modules()
        if hasattr(samples, "refused_beyond_grants")
    )
