"""The one place that decides what a user may view, add, change or delete.

A user holds roles, each within a scope: a whole instansi or one OPD. The roles are the kernel's
catalogue (simpul/organizations/roles.py, read through SIMPUL_ROLES); what a role may do is declared by
each module for its own models (`SimpulModule.grants`, see simpul/core/modules.py). Deny by default: a
model that no module grants to a role is closed to it. `restrict()` turns the grants into a queryset
filter, and every UI view, API endpoint, export, search and file download goes through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils.module_loading import import_string

from simpul.core import modules

# "review" is the right to decide on other people's proposals (e.g. publish architecture changes).
ACTIONS = ("view", "add", "change", "delete", "review")
ALL = frozenset({"view", "add", "change", "delete"})
VIEW = frozenset({"view"})
NONE: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Role:
    """A named job in SPBE; `scopes` says whether it is held for an instansi, an OPD, or either.

    What the role may do is not here: each module grants it actions on its own models.
    """

    label: str
    scopes: tuple[str, ...] = ("instansi", "opd")
    description: str = ""


@dataclass(frozen=True)
class Grant:
    role: str
    instansi_id: int
    opd_id: int | None = None


@cache
def roles() -> dict[str, Role]:
    return import_string(settings.SIMPUL_ROLES)


@cache
def grant_table() -> dict[str, dict[str, frozenset[str]]]:
    """role key -> {"app.model" or "app.*": actions}, merged from every module's `grants`.

    A module may grant only its own models and the models it manages for the app keeping them
    (`manages`), so the modules' keys never overlap; a grant naming an unknown role or action, another
    app's models, or a model of its own that another module manages, is an ImproperlyConfigured.
    """
    known_roles = roles()
    installed = modules.simpul_modules()
    managed = {model: module.label for module in installed for model in module.manages}
    table: dict[str, dict[str, frozenset[str]]] = {key: {} for key in known_roles}
    for module in installed:
        for role, grants in module.grants.items():
            if role not in known_roles:
                raise ImproperlyConfigured(f"Module {module.label!r} grants to {role!r}, which is not a role.")
            for key, actions in grants.items():
                app_label, _dot, model_name = key.partition(".")
                own = app_label == module.label and model_name and managed.get(key, module.label) == module.label
                if not own and key not in module.manages:
                    raise ImproperlyConfigured(
                        f"Module {module.label!r} may grant only its own models "
                        f"('{module.label}.<model>' or '{module.label}.*') and those it manages, not {key!r}."
                    )
                unknown = set(actions) - set(ACTIONS)
                if unknown:
                    raise ImproperlyConfigured(f"Module {module.label!r} grants unknown actions {sorted(unknown)}.")
                table[role][key] = frozenset(actions)
    # A managed model takes nothing from its keeping app's "app.*": only its manager decides about it.
    for grants in table.values():
        for model in managed:
            if f"{model.partition('.')[0]}.*" in grants:
                grants.setdefault(model, NONE)
    return table


def role_actions(role: str, model_label: str) -> frozenset[str]:
    """The actions `role` may perform on `model_label` ("app.model"): the model's grant, else its app's."""
    grants = grant_table().get(role)
    if not grants:
        return NONE
    app_label = model_label.split(".")[0]
    for key in (model_label, f"{app_label}.*"):
        if key in grants:
            return grants[key]
    return NONE


def forget_declarations() -> None:
    """Drop the cached roles and grants (the installed apps or SIMPUL_ROLES changed, e.g. in a test)."""
    roles.cache_clear()
    grant_table.cache_clear()


def model_label(model) -> str:
    return model._meta.label_lower


def user_grants(user) -> list[Grant]:
    """The user's role assignments, loaded once per request/user object."""
    if user is None or not user.is_authenticated:
        return []
    cached = getattr(user, "_simpul_grants", None)
    if cached is None:
        cached = [
            Grant(role, instansi_id, opd_id)
            for role, instansi_id, opd_id in user.role_assignments.values_list("role", "instansi_id", "opd_id")
            if role in roles()
        ]
        user._simpul_grants = cached
    return cached


def forget_grants(user) -> None:
    if hasattr(user, "_simpul_grants"):
        del user._simpul_grants


def _grant_q(model, grant: Grant, action: str) -> Q:
    instansi_path = getattr(model, "scope_instansi_path", None)
    opd_path = getattr(model, "scope_opd_path", None)
    if instansi_path is None and opd_path is None:
        # National data shared by every instansi (e.g. reference codes): the grant covers all rows.
        return Q()
    if grant.opd_id is not None and opd_path:
        own = Q(**{_as_id_lookup(opd_path): grant.opd_id})
        viewer_path = getattr(model, "scope_viewer_opd_path", None)
        if action == "view" and viewer_path:
            own |= Q(**{_as_id_lookup(viewer_path): grant.opd_id})
        shared = getattr(model, "scope_shared_q", None)
        if action == "view" and shared is not None and instansi_path:
            # Records an instansi shares among its OPDs (e.g. its published architecture) are
            # readable by every OPD of that instansi; changing them stays with the owner OPD.
            # The grant's OPD belongs to its instansi (RoleAssignment.clean), so the instansi is
            # factored out: "instansi AND (own OR shared)" lets the database start from the
            # instansi's few OPDs instead of scanning every row for "own OR (instansi AND shared)".
            return Q(**{_as_id_lookup(instansi_path): grant.instansi_id}) & (own | shared)
        return own
    if instansi_path:
        return Q(**{_as_id_lookup(instansi_path): grant.instansi_id})
    return Q(pk__in=[])


def _as_id_lookup(path: str) -> str:
    if path == "pk" or path.endswith("_id"):
        return path
    return f"{path}_id" if "__" not in path else path


def scope_filter(model, user, action: str) -> Q | None:
    """A Q selecting the rows of `model` the user may act on; None means every row."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return None
    label = model_label(model)
    if getattr(model, "scope_record_fields", None):
        if not any(action in role_actions(grant.role, label) for grant in user_grants(user)):
            return Q(pk__in=[])
        return _about_viewable_records(model, user)
    query = Q(pk__in=[])
    for grant in user_grants(user):
        if action in role_actions(grant.role, label):
            grant_q = _grant_q(model, grant, action)
            if not grant_q:
                # An empty Q covers every row (national data); OR-ing it would be a no-op in Django.
                return None
            query |= grant_q
    return query


def _about_viewable_records(model, user) -> Q:
    """The rows of `model` (a row about another record, e.g. a workflow event) whose record `user` may view.

    `model.scope_record_fields` names its content type and object id fields. The record's own scope
    decides, not the row's: an OPD that may read another OPD's shared record reads its history too, and a
    record moved to another OPD takes its history along. One condition per record type that rows are
    about, each the user's viewable records of that type as a subquery, so the database filters the rows
    whatever their number.
    """
    type_field, id_field = model.scope_record_fields
    content_types = model._meta.get_field(type_field).related_model
    # The few record types that have rows at all; each is one probe of the (type, id) index.
    present = content_types.objects.filter(
        models.Exists(model._base_manager.filter(**{type_field: models.OuterRef("pk")}))
    )
    query = Q(pk__in=[])
    for content_type in present:
        record_model = content_type.model_class()
        if record_model is None or record_model is model or not has_model_permission(user, "view", record_model):
            continue
        same_type = Q(**{f"{type_field}_id": content_type.pk})
        records = scope_filter(record_model, user, "view")
        if records is None:
            query |= same_type
            continue
        # Object ids are stored as text (any record type's key fits), so the keys are compared as text.
        viewable = (
            record_model._default_manager.filter(records)
            .order_by()
            .annotate(_key_text=Cast("pk", output_field=models.CharField()))
            .values("_key_text")
        )
        query |= same_type & Q(**{f"{id_field}__in": viewable})
    return query


def restrict(queryset: models.QuerySet, user, action: str = "view") -> models.QuerySet:
    """Only the rows of `queryset` that `user` may perform `action` on."""
    query = scope_filter(queryset.model, user, action)
    # Scope paths follow many-to-one relations only, so the filter never duplicates rows.
    return queryset if query is None else queryset.filter(query)


def has_model_permission(user, action: str, model) -> bool:
    """Whether the user may perform `action` on at least some records of `model` (menus, buttons)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    label = model_label(model)
    return any(action in role_actions(grant.role, label) for grant in user_grants(user))


def can(user, action: str, obj: models.Model) -> bool:
    """Whether the user may perform `action` on this saved record."""
    if obj.pk is None:
        raise ValueError("use can_add() for records not saved yet")
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()


def can_add(user, model, instansi_id: int | None, opd_id: int | None) -> bool:
    """Whether the user may create a `model` record that would belong to this instansi / OPD."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    label = model_label(model)
    has_opd_path = bool(getattr(model, "scope_opd_path", None))
    is_national = getattr(model, "scope_instansi_path", None) is None and not has_opd_path
    for grant in user_grants(user):
        if "add" not in role_actions(grant.role, label):
            continue
        if is_national:
            return True
        if grant.opd_id is not None and has_opd_path:
            if opd_id is not None and opd_id == grant.opd_id:
                return True
        elif instansi_id is not None and instansi_id == grant.instansi_id:
            return True
    return False


def allowed_owner_opds(user, action: str, model, opd_queryset: models.QuerySet) -> models.QuerySet:
    """The OPDs a user may hold `model` records for with `action` (choices of an owner field)."""
    if user.is_superuser:
        return opd_queryset
    label = model_label(model)
    query = Q(pk__in=[])
    for grant in user_grants(user):
        if action not in role_actions(grant.role, label):
            continue
        query |= Q(pk=grant.opd_id) if grant.opd_id is not None else Q(instansi_id=grant.instansi_id)
    return opd_queryset.filter(query)


def allowed_instansi_ids(user, action: str, model) -> set[int] | None:
    """The instansi ids in which a user may perform `action` on `model`; None means all of them."""
    if user.is_superuser:
        return None
    label = model_label(model)
    return {g.instansi_id for g in user_grants(user) if action in role_actions(g.role, label)}


def users_who_may(action: str, record: models.Model) -> models.QuerySet:
    """The active users whose role assignments let them perform `action` on `record` (not superusers by
    that alone): whom to notify of a step that waits for them. The grants decide, as in `scope_filter()`:
    a role held for an OPD covers the record when the model has an OPD path and the record is that OPD's,
    or, for a model without one, when the record is in that OPD's instansi; a role held for an instansi
    covers the instansi's records. One query (a subquery on the role assignments).
    """
    from django.contrib.auth import get_user_model

    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    users = get_user_model()._default_manager.filter(is_active=True)
    label = model_label(type(record))
    granted = [role for role in roles() if action in role_actions(role, label)]
    if not granted or getattr(type(record), "scope_record_fields", None):
        return users.none()
    assignments = users.model._meta.get_field("role_assignments").related_model._default_manager.filter(
        user=models.OuterRef("pk"), role__in=granted
    )
    instansi_path = getattr(record, "scope_instansi_path", None)
    opd_path = getattr(record, "scope_opd_path", None)
    if instansi_path or opd_path:
        instansi_id, opd_id = record.get_scope_ids()
        if opd_path:
            scope = Q(opd__isnull=True, instansi_id=instansi_id) if instansi_path else Q(pk__in=[])
            if opd_id is not None:
                scope |= Q(opd_id=opd_id)
        else:
            scope = Q(instansi_id=instansi_id)
        assignments = assignments.filter(scope)
    return users.filter(models.Exists(assignments))
