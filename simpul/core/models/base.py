"""Abstract bases that switch on what every Simpul record needs: an owner OPD, timestamps, audit."""

from django.conf import settings
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from simpul.core.modules import url_namespace


class ScopedModelMixin:
    """Tells the permission machinery where a record's instansi and owner OPD are.

    `scope_instansi_path` is the lookup from the model to the instansi id, `scope_opd_path` the lookup
    to the owner OPD id. A model without an OPD path (e.g. an instansi itself) is visible to a role held
    for one OPD when the record belongs to that OPD's instansi.
    """

    scope_instansi_path: str = "owner__instansi"
    scope_opd_path: str | None = "owner"
    # Optional Q of records every OPD of the instansi may read although another OPD owns them.
    scope_shared_q = None
    # Optional lookup to a second OPD that may read the record although it does not own it: the party on the
    # other side (the OPD that proposed a correction of another OPD's element follows its proposal).
    scope_viewer_opd_path: str | None = None

    def get_scope_ids(self) -> tuple[int | None, int | None]:
        """Return (instansi id, OPD id) of this record, for audit entries and permission checks."""
        # National data (no instansi path) belongs to no instansi.
        return (
            _resolve_path(self, self.scope_instansi_path) if self.scope_instansi_path else None,
            _resolve_path(self, self.scope_opd_path) if self.scope_opd_path else None,
        )

    def get_absolute_url(self) -> str:
        try:
            return reverse(f"{url_namespace(type(self))}:{self._meta.model_name}_detail", args=[self.pk])
        except NoReverseMatch:
            return ""


def _resolve_path(obj, path: str):
    if path == "pk":
        return obj.pk
    parts = path.split("__")
    current = obj
    for index, part in enumerate(parts):
        if index == len(parts) - 1:
            field_id = f"{part}_id"
            if hasattr(current, field_id):
                return getattr(current, field_id)
            value = getattr(current, part)
            return getattr(value, "pk", value)
        current = getattr(current, part, None)
        if current is None:
            return None
    return current


class AuditedMixin:
    """Marks a model whose every create, update and delete is written to the audit trail."""

    audit_exclude_fields: frozenset[str] = frozenset({"updated_at"})
    audit_masked_fields: frozenset[str] = frozenset()


class ChangeLoggedModel(AuditedMixin, ScopedModelMixin, models.Model):
    """Timestamps plus the audit trail; the base of every domain record."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, editable=False)

    class Meta:
        abstract = True


def owner_field(**options) -> models.ForeignKey:
    """The owner OPD of a domain record, as `OwnedModel` declares it; a model that indexes the owner
    otherwise (a composite index leading with it) declares it again with `db_index=False`."""
    return models.ForeignKey(
        "organizations.PerangkatDaerah",
        verbose_name=_("owner OPD"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The regional department responsible for this record."),
        **options,
    )


class OwnedModel(ChangeLoggedModel):
    """A domain record owned by one Perangkat Daerah (and so by its instansi)."""

    owner = owner_field()

    scope_instansi_path = "owner__instansi"
    scope_opd_path = "owner"

    class Meta:
        abstract = True


def user_model_label() -> str:
    return settings.AUTH_USER_MODEL
