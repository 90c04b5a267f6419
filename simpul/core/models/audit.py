"""The tamper-evident audit trail: one row per change, chained by SHA-256."""

import hashlib
import json

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")


class RelatedNames:
    """Names of the records that the entries of one list point to, looked up together on first use.

    A history shows many entries; resolving "reviewed by 8" to a name entry by entry would cost one
    query per value, so the first entry that needs a name loads them for the whole list, one query
    per related model.
    """

    def __init__(self, entries: list):
        self.entries = entries
        self.names: dict | None = None

    def name(self, field, pk) -> str:
        if self.names is None:
            self.names = self._load()
        return self.names.get((field.related_model, str(pk)), f"#{pk}")

    def _load(self) -> dict:
        wanted: dict = {}
        for entry in self.entries:
            fields = _fields_of(entry.content_type_id)
            for name, values in (entry.changes or {}).items():
                field = fields.get(name)
                if field is not None and field.many_to_one and not field.choices:
                    wanted.setdefault(field.related_model, set()).update(v for v in values if v not in (None, ""))
        names = {}
        for model, pks in wanted.items():
            for record in model._default_manager.filter(pk__in=pks):
                names[(model, str(record.pk))] = str(record)
        return names


class AuditEntryQuerySet(models.QuerySet):
    def _fetch_all(self):
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._result_cache and isinstance(self._result_cache[0], AuditEntry):
            names = RelatedNames(self._result_cache)
            for entry in self._result_cache:
                entry._related_names = names


class AuditEntry(models.Model):
    """One change of one record: who, when, from where, and the fields before and after.

    Each entry carries the hash of the previous one, so editing or deleting any entry breaks the chain
    from that point on; `simpul audit verify` finds the first broken entry.
    """

    timestamp = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    actor_repr = models.CharField(_("user name"), max_length=200, blank=True)
    source = models.CharField(_("channel"), max_length=20, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request ID"), max_length=64, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("object ID"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    instansi_id = models.BigIntegerField(_("instansi"), null=True, blank=True, db_index=True)
    opd_id = models.BigIntegerField(_("OPD"), null=True, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    scope_instansi_path = "instansi_id"
    scope_opd_path = "opd_id"

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    def canonical_payload(self) -> bytes:
        """The bytes that the hash covers: every stored fact except the row id and the hash itself."""
        content_type = ContentType.objects.get_for_id(self.content_type_id)
        payload = {
            "timestamp": self.timestamp.isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_repr": self.actor_repr,
            "source": self.source,
            "ip_address": self.ip_address,
            "request_id": self.request_id,
            "action": self.action,
            "content_type": f"{content_type.app_label}.{content_type.model}",
            "object_id": str(self.object_id),
            "object_repr": self.object_repr,
            "instansi_id": self.instansi_id,
            "opd_id": self.opd_id,
            "changes": self.changes,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical_payload()).hexdigest()

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:auditentry_detail", args=[self.pk])

    def get_scope_ids(self) -> tuple[int | None, int | None]:
        return self.instansi_id, self.opd_id

    def display_instansi_id(self) -> tuple[str, str]:
        return _scope_record("organizations.Instansi", self.instansi_id)

    def display_opd_id(self) -> tuple[str, str]:
        return _scope_record("organizations.PerangkatDaerah", self.opd_id)

    def change_rows(self) -> list[tuple[str, object, object]]:
        """(field label, before, after) for display: the model's verbose names and choice labels."""
        fields = _fields_of(self.content_type_id)
        names = getattr(self, "_related_names", None) or RelatedNames([self])
        rows = []
        for name, (before, after) in self.changes.items():
            field = fields.get(name)
            label = str(field.verbose_name) if field is not None else name
            rows.append((label, _shown_value(field, before, names), _shown_value(field, after, names)))
        return rows


def _fields_of(content_type_id: int) -> dict:
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    fields = {}
    if model is not None:
        for field in model._meta.concrete_fields:
            fields[field.name] = fields[field.attname] = field
    return fields


def _scope_record(label: str, pk: int | None) -> tuple[str, str]:
    """The entry's instansi or OPD by name, linked; kept as ids so that the chain outlives the records."""
    if pk is None:
        return "—", ""
    record = apps.get_model(label)._default_manager.filter(pk=pk).first()
    if record is None:
        return f"#{pk}", ""
    return str(record), record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""


def _readable(value) -> str:
    """A structured value (a JSON field's) as text people read: "key: value" pairs, items by commas."""
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_readable(item)}" for key, item in value.items()) or "—"
    if isinstance(value, list | tuple):
        return ", ".join(_readable(item) for item in value) or "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    return "—" if value is None else str(value)


def _shown_value(field, value, names: RelatedNames):
    """A stored value as people read it: choice labels, the related record's name, local dates, yes/no,
    and structured values as text."""
    if field is None or value in (None, ""):
        return _readable(value) if isinstance(value, dict | list | bool) else value
    if isinstance(field, models.BooleanField) or isinstance(value, bool):
        return _readable(value in (True, "True", "true", 1))
    if isinstance(value, dict | list):
        return _readable(value)
    if field.choices:
        return {str(key): str(label) for key, label in field.flatchoices}.get(str(value), value)
    if field.many_to_one:
        # The record as it is named now; a deleted one keeps its id.
        return names.name(field, value)
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(value))
        if moment is not None:
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return date_format(moment, "DATETIME_FORMAT")
    elif isinstance(field, models.DateField):
        day = parse_date(str(value))
        if day is not None:
            return date_format(day, "DATE_FORMAT")
    return value


GENESIS_HASH = "0" * 64


class AuditChainHead(models.Model):
    """The single row that says where the chain ends: the last entry's hash and id, and the number of
    entries.

    Every append locks it, links the new entry to `last_hash` and moves it on in the same transaction,
    so concurrent writers extend one chain. Without it, deleting the newest entries would leave a
    shorter chain that is still intact; with it, `verify_chain` finds that the chain no longer ends
    where the head says. A copy of the head kept outside the database also catches a rewrite of the
    whole chain together with this row.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(_("last entry hash"), max_length=64, default=GENESIS_HASH)
    last_entry_id = models.BigIntegerField(_("last entry ID"), default=0)
    entry_count = models.PositiveBigIntegerField(_("number of entries"), default=0)
    last_timestamp = models.DateTimeField(_("time of the last entry"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit chain head")
