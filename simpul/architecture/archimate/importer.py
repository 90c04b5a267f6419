"""Import of an ArchiMate exchange file into an OPD of an instansi.

ArchiMate element types are mapped onto the six SPBE domains where a counterpart exists; every other
element is kept as a generic `Element` with its ArchiMate type, so nothing of a model is dropped.
Simpul's own fields travel as `simpul:<field>` properties, so export → import restores them.

All or nothing: every record is validated as the UI validates it (`full_clean()`) and written through
`simpul.core.services` (permissions, audit) inside one transaction; a refused record, a broken reference
or an unreadable file leaves the database as it was, and the error names every refused identifier.

An import updates only records it may change: those of the OPD it imports into, or of the OPD an
element's `simpul:owner` names when the user may add there. A record of another OPD that carries one of
the file's identifiers is never matched (it would be overwritten, or its owner's re-import broken); it
makes that element or relationship an error instead.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from lxml import etree

from simpul.architecture.archimate.kept_views import store_views
from simpul.architecture.archimate.mapping import (
    CODE_SUFFIX,
    COMMON,
    DEFAULT_APPLICATION_KIND,
    DEFAULT_SERVICE_TYPE,
    EXTRA,
    FOLDER_SEPARATOR,
    INFRASTRUCTURE_KINDS,
    JUNCTIONS,
    MODELS,
    NS,
    PREFIX,
    RELATIONSHIP,
    TYPED_FIELDS,
    XSI_TYPE,
    code_for,
    domain_for,
    is_simpul_view,
    parse_bool,
    prefer_codes,
    qname,
    relationship_kind,
    xml_parser,
)
from simpul.architecture.choices import Domain, ElementStatus, InfrastructureKind
from simpul.architecture.models import Element, ReferenceCode, Relationship
from simpul.architecture.vocabulary import RelationshipKind
from simpul.core import permissions, services
from simpul.organizations.models import Instansi, PerangkatDaerah

# A file can hold thousands of refused records; the first ones say what is wrong.
MAX_MESSAGES = 50
# Related records the importer looked up itself (OPDs and reference codes of the database, elements it
# has just written): validating them again would query each one per record.
_RESOLVED = ["owner", "reference", "producer", "developer", "source", "target"]


class ArchimateImportError(ValidationError):
    """The file cannot be imported (not XML, not an exchange file, or a record was refused); nothing was written."""


@dataclass
class ImportResult:
    """What one import did: counts per SPBE domain / relationship kind, created vs updated, skipped items."""

    model_name: str = ""
    elements: Counter = field(default_factory=Counter)
    relationships: Counter = field(default_factory=Counter)
    relationships_by_domain: Counter = field(default_factory=Counter)
    created: int = 0
    updated: int = 0
    views: int = 0
    skipped: list[str] = field(default_factory=list)

    @property
    def element_total(self) -> int:
        return sum(self.elements.values())

    @property
    def relationship_total(self) -> int:
        return sum(self.relationships.values())


def first_text(node, tag: str) -> str:
    """The first of a concept's <name>/<documentation> variants (the format allows one per language)."""
    for child in node.iterfind(qname(tag)):
        return (child.text or "").strip() if tag == "name" else (child.text or "")
    return ""


def _read_properties(node, definitions: dict[str, str]) -> dict[str, str]:
    props: dict[str, str] = {}
    container = node.find(qname("properties"))
    if container is None:
        return props
    for prop in container.iterfind(qname("property")):
        name = definitions.get(prop.get("propertyDefinitionRef"), prop.get("propertyDefinitionRef") or "")
        value = prop.find(qname("value"))
        props[name] = value.text or "" if value is not None else ""
    return props


def _read_folders(root) -> dict[str, str]:
    """identifier → folder path (labels joined by FOLDER_SEPARATOR) from every <organizations>."""
    folders: dict[str, str] = {}

    def walk(item, path: list[str]):
        label = item.find(qname("label"))
        here = [*path, (label.text or "").strip()] if label is not None else path
        ref = item.get("identifierRef")
        if ref:
            folders.setdefault(ref, FOLDER_SEPARATOR.join(path))
        for child in item.iterfind(qname("item")):
            walk(child, here)

    for org in root.iterfind(qname("organizations")):
        for item in org.iterfind(qname("item")):
            walk(item, [])
    return folders


def parse(file) -> etree._ElementTree:
    """Parse an uploaded/ opened exchange file; refuse what is not an ArchiMate exchange model."""
    try:
        tree = etree.parse(file, xml_parser())
    except (etree.XMLSyntaxError, ValueError) as error:
        raise ArchimateImportError(
            _("The file is not well-formed XML: %(error)s") % {"error": error}, code="not_xml"
        ) from error
    if tree.getroot().tag != qname("model"):
        raise ArchimateImportError(
            _("The file is not an ArchiMate exchange model (expected <model> in namespace %(ns)s).") % {"ns": NS},
            code="not_archimate",
        )
    return tree


def _problem(error: ValidationError, model) -> str:
    """A validation error as one line, each message after the label of its field."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    parts = []
    for name, messages in error.message_dict.items():
        text = " ".join(messages)
        try:
            label = capfirst(model._meta.get_field(name).verbose_name) if name != NON_FIELD_ERRORS else ""
        except FieldDoesNotExist:
            label = name
        parts.append(f"{label}: {text}" if label else text)
    return "; ".join(parts)


class _Existing:
    """The instansi's records that already carry one of the file's identifiers, and which of them the
    import may change (`permissions.restrict(…, "change")`)."""

    def __init__(self, queryset: models.QuerySet, identifiers: Iterable[str | None], user):
        wanted = {ident for ident in identifiers if ident}
        self.rows: dict[str, list] = defaultdict(list)
        self.changeable: set[int] = set()
        if wanted:
            queryset = queryset.filter(exchange_id__in=wanted)
            for row in queryset.order_by("pk"):
                self.rows[row.exchange_id].append(row)
            self.changeable = set(permissions.restrict(queryset, user, "change").values_list("pk", flat=True))

    def match(self, ident: str, opd_ids: set[int], owner_of: Callable[[Any], int]):
        """(the record this import updates, or None; a record it may not change holding `ident`, or None)."""
        rows = self.rows.get(ident, [])
        for row in rows:
            if row.pk not in self.changeable or owner_of(row) not in opd_ids:
                return None, row
        return (rows[0] if rows else None), None


class _Importer:
    def __init__(self, instansi, owner_opd, user):
        self.instansi = instansi
        self.owner_opd = owner_opd
        self.user = user
        self.result = ImportResult()
        self.opds = {opd.short_name: opd for opd in PerangkatDaerah.objects.filter(instansi=instansi)}
        self.may_publish = _may_review(user, instansi)
        self.references: dict[str, ReferenceCode | None] = {}
        self.relationship_ids: set[str] = set()
        # The OPDs whose relationships this import may update: set once its elements are written.
        self.opd_ids: set[int] = {owner_opd.pk}
        self.seen: set[str] = set()
        self.errors: list[str] = []
        # Identifiers of refused elements: their relationships are not reported a second time.
        self.refused: set[str] = set()

    def opd(self, short_name: str):
        return self.opds.get(short_name.strip())

    def reference(self, code: str):
        if code not in self.references:
            self.references[code] = ReferenceCode.objects.filter(code=code).first()
        return self.references[code]

    def owner_for(self, short_name: str):
        """The OPD named by `simpul:owner` when it exists here and the user may add to it; else the chosen OPD."""
        named = self.opd(short_name)
        if (
            named is not None
            and named != self.owner_opd
            and permissions.can_add(self.user, Element, self.instansi.pk, named.pk)
        ):
            return named
        return self.owner_opd

    def refuse(self, message: str) -> None:
        self.errors.append(message)

    def messages(self) -> list[str]:
        shown = self.errors[:MAX_MESSAGES]
        more = len(self.errors) - len(shown)
        if more:
            shown.append(
                ngettext("…and %(count)d more problem.", "…and %(count)d more problems.", more) % {"count": more}
            )
        return shown

    def first_sighting(self, ident: str) -> bool:
        """False (and an error) for an identifier met before: the format wants every one unique."""
        if not ident:
            return True
        if ident in self.seen:
            self.refuse(_("Identifier %(id)s appears more than once in the file.") % {"id": ident})
            return False
        self.seen.add(ident)
        return True

    def apply_common(self, element: Element, ident, archimate_type, name, doc, simpul, props, folder) -> None:
        element.exchange_id = ident
        element.archimate_type = archimate_type
        element.name = name[:300]
        element.description = doc
        element.folder = folder[:300]
        if len(name) > 300:
            props[f"{PREFIX}full_name"] = name
        status = simpul.pop("status", None)
        if status is not None:
            status = code_for((COMMON, "status"), status) or status
            if status in ElementStatus.values:
                element.status = status
            else:
                props[f"{PREFIX}status"] = status
        if "code" in simpul:
            element.code = simpul.pop("code")[:60]
        code = simpul.pop("reference", None)
        if code:
            element.reference = self.reference(code)
            if element.reference is None:
                props[f"{PREFIX}reference"] = code
        published = parse_bool(simpul.pop("published", "") or "")
        if published is not None and self.may_publish:
            element.published = published

    def apply_typed(self, typed: Element, domain: str, archimate_type: str, simpul, props) -> list:
        """Set the typed fields from `simpul:` properties; return the performer OPDs (set after saving).

        A value the field would refuse (unknown choice, not a URL, too long) is kept in other properties,
        as an unknown OPD or reference code is: a foreign model's property never makes the import fail.
        """
        performers = []
        for name, kind, choices in TYPED_FIELDS.get(domain, []):
            if name not in simpul:
                continue
            raw = simpul.pop(name)
            value: Any = raw
            if kind == "opds":
                found = [self.opd(part) for part in raw.split(",") if part.strip()]
                performers = [opd for opd in found if opd is not None]
                if len(performers) != len(found):
                    props[f"{PREFIX}{name}"] = raw
                continue
            if kind == "opd":
                value = self.opd(raw)
            elif kind == "boolean":
                value = parse_bool(raw)
            elif kind == "number":
                value = int(raw) if raw.strip().isdigit() else None
            elif choices is not None and raw not in choices:
                value = code_for((domain, name), raw)  # a label (Archi users see labels), or None
            if value is not None and kind in ("string", "number"):
                try:
                    value = typed._meta.get_field(name).clean(value, typed)
                except ValidationError:
                    value = None
            if value is None:
                props[f"{PREFIX}{name}"] = raw  # kept, not dropped
                continue
            setattr(typed, f"{name}_id" if kind == "opd" else name, value.pk if kind == "opd" else value)
        if domain == Domain.SERVICE and not typed.service_type:
            typed.service_type = DEFAULT_SERVICE_TYPE
        if domain == Domain.APPLICATION and not typed.kind:
            typed.kind = DEFAULT_APPLICATION_KIND
        if domain == Domain.INFRASTRUCTURE and not typed.kind:
            typed.kind = INFRASTRUCTURE_KINDS.get(archimate_type, InfrastructureKind.OTHER)
        return performers

    def element(self, node, definitions, folders, existing: _Existing) -> Element | None:
        """Create or update the element of `node`; None when it is refused (the reason is in `errors`)."""
        ident = node.get("identifier") or ""
        if not self.first_sighting(ident):
            return None
        archimate_type = node.get(XSI_TYPE) or "Grouping"
        name = first_text(node, "name")
        doc = first_text(node, "documentation")
        all_props = _read_properties(node, definitions)
        simpul = {k[len(PREFIX) :]: v for k, v in all_props.items() if k.startswith(PREFIX)}
        props = {k: v for k, v in all_props.items() if not k.startswith(PREFIX)}
        prefer_codes(simpul)
        if "domain" in simpul:
            simpul["domain"] = code_for((COMMON, "domain"), simpul["domain"]) or simpul["domain"]
        domain = domain_for(archimate_type, simpul, props)
        simpul.pop("domain", None)
        owner = self.owner_for(simpul.pop("owner", ""))
        current, holder = existing.match(ident, {self.owner_opd.pk, owner.pk}, lambda e: e.owner_id)
        if holder is not None:
            self.refused.add(ident)  # never empty: an element without identifier matches nothing
            self.refuse(
                _(
                    "Element %(id)s: the identifier is already used by an element of %(opd)s "
                    "that this import may not change."
                )
                % {"id": ident, "opd": holder.owner.short_name}
            )
            return None
        if current is not None:
            typed = current.typed
            domain = typed.domain  # the type of an existing record does not change
        else:
            typed = MODELS[domain](owner=owner)
        self.apply_common(typed, ident, archimate_type, name, doc, simpul, props, folders.get(ident, ""))
        performers = self.apply_typed(typed, domain, archimate_type, simpul, props) if domain != Domain.OTHER else []
        props.update({f"{PREFIX}{k}": v for k, v in simpul.items()})  # Simpul keys of other types: kept
        typed.properties = props
        unchecked = [*_RESOLVED, "name"] if archimate_type in JUNCTIONS and not typed.name else _RESOLVED
        try:
            typed.full_clean(exclude=unchecked)
        except ValidationError as error:
            if ident:
                self.refused.add(ident)
            self.refuse(_("Element %(id)s: %(problem)s") % {"id": ident, "problem": _problem(error, type(typed))})
            return None
        if current is None:
            typed = services.create_object(self.user, typed)
            self.result.created += 1
        else:
            typed = services.update_object(self.user, typed)
            self.result.updated += 1
        if performers or (domain == Domain.BUSINESS and current is not None):
            typed.performers.set(performers)
        self.result.elements[domain] += 1
        return typed

    def relationship(self, node, definitions, folders, elements, existing: _Existing, taken) -> None:
        ident = node.get("identifier") or ""
        if not self.first_sighting(ident):
            return
        source_ref, target_ref = node.get("source") or "", node.get("target") or ""
        source = elements.get(source_ref)
        target = elements.get(target_ref)
        archimate_type = node.get(XSI_TYPE) or "Association"
        if source is None or target is None:
            ends = {source_ref, target_ref} - set(elements)
            if ends & self.refused:
                return  # its element was refused, and the error says so
            if not ends <= self.relationship_ids:
                self.refuse(
                    _("Relationship %(id)s refers to %(ref)s, which is not in the file.")
                    % {"id": ident, "ref": ", ".join(sorted(ends - self.relationship_ids))}
                )
                return
            # A relationship to a relationship has no place in Simpul (its ends are elements).
            self.result.skipped.append(
                _("Relationship %(id)s (%(type)s) connects a relationship, which Simpul cannot hold.")
                % {"id": ident, "type": archimate_type}
            )
            return
        if source.pk == target.pk:
            # Simpul's relationships join two elements (Relationship.clean), as they do in the UI.
            self.result.skipped.append(
                _("Relationship %(id)s (%(type)s) connects an element to itself, which Simpul cannot hold.")
                % {"id": ident, "type": archimate_type}
            )
            return
        current, holder = existing.match(ident, self.opd_ids, lambda r: r.source.owner_id)
        if holder is not None:
            self.refuse(
                _(
                    "Relationship %(id)s: the identifier is already used by a relationship of %(opd)s "
                    "that this import may not change."
                )
                % {"id": ident, "opd": holder.source.owner.short_name}
            )
            return
        all_props = _read_properties(node, definitions)
        label = all_props.pop(f"{PREFIX}relationship", None)
        declared = all_props.pop(f"{PREFIX}relationship{CODE_SUFFIX}", None)
        if declared is None and label is not None:
            declared = code_for((RELATIONSHIP, "relationship"), label)
        extra = {
            key: value
            for key, value in {
                "name": first_text(node, "name"),
                "accessType": node.get("accessType"),
                "isDirected": node.get("isDirected"),
                "modifier": node.get("modifier"),
                "folder": folders.get(ident, ""),
            }.items()
            if value
        }
        props = dict(all_props)
        if extra:
            props[EXTRA] = extra
        kind = relationship_kind(declared, archimate_type, node.get("accessType"), source.domain, target.domain)
        own_key = (current.source_id, current.target_id, current.kind) if current else None
        if kind != RelationshipKind.ARCHIMATE and (source.pk, target.pk, kind) in taken - {own_key}:
            kind = RelationshipKind.ARCHIMATE  # the vocabulary holds one such link; keep this one as ArchiMate
        rel = current or Relationship()
        rel.source, rel.target, rel.kind = source, target, kind
        rel.archimate_type = archimate_type
        rel.description = first_text(node, "documentation")
        rel.properties = props
        rel.exchange_id = ident
        try:
            # Not validate_constraints: `taken` already keeps this import to one link of each SPBE kind
            # between two elements (and the database refuses a second one); checking it again would
            # cost a query per relationship.
            rel.full_clean(exclude=_RESOLVED, validate_constraints=False)
        except ValidationError as error:
            self.refuse(_("Relationship %(id)s: %(problem)s") % {"id": ident, "problem": _problem(error, Relationship)})
            return
        if own_key:
            taken.discard(own_key)
        if kind != RelationshipKind.ARCHIMATE:
            taken.add((source.pk, target.pk, kind))
        if current is None:
            services.create_object(self.user, rel)
            self.result.created += 1
        else:
            services.update_object(self.user, rel)
            self.result.updated += 1
        self.result.relationships[kind] += 1
        self.result.relationships_by_domain[source.domain] += 1


def _may_review(user, instansi) -> bool:
    if user is None:
        return False
    allowed = permissions.allowed_instansi_ids(user, "review", Element)
    return allowed is None or instansi.pk in allowed


def _hold_identifiers(instansi) -> None:
    """Keep other imports into this instansi from taking identifiers until this one commits.

    Exchange identifiers are unique per instansi, which no database constraint can say (the instansi is
    reached through the owner; see Element.clean). Without this lock two imports could both find an
    identifier free and both store it. FOR NO KEY UPDATE leaves rows that merely refer to the instansi
    free to be written. (SQLite has no row locks: there a transaction begins by taking the database's
    one write lock, settings.DATABASES' IMMEDIATE mode, which serialises imports anyway.)
    """
    list(Instansi.objects.select_for_update(no_key=True).filter(pk=instansi.pk).values_list("pk", flat=True))


def import_model(instansi, owner_opd, file, user) -> ImportResult:
    """Import an exchange file into `instansi`, new elements owned by `owner_opd`, acting as `user`.

    One transaction: a refused record (permission, validation, an identifier held by a record this import
    may not change) or a broken file writes nothing. Elements and relationships this import may change
    that carry one of the file's identifiers are updated.
    """
    if owner_opd.instansi_id != instansi.pk:
        raise ArchimateImportError(_("The OPD does not belong to this instansi."), code="wrong_opd")
    if not permissions.can_add(user, Element, instansi.pk, owner_opd.pk):
        raise PermissionDenied(_("You may not add architecture elements to %(opd)s.") % {"opd": owner_opd})
    root = parse(file).getroot()
    definitions = {d.get("identifier"): first_text(d, "name") for d in root.iter(qname("propertyDefinition"))}
    folders = _read_folders(root)
    element_nodes = list(root.iterfind(f"{qname('elements')}/{qname('element')}"))
    relationship_nodes = list(root.iterfind(f"{qname('relationships')}/{qname('relationship')}"))
    importer = _Importer(instansi, owner_opd, user)
    importer.result.model_name = first_text(root, "name")
    try:
        with transaction.atomic():
            _hold_identifiers(instansi)
            existing = _Existing(
                Element.objects.filter(owner__instansi=instansi).select_related("owner"),
                (n.get("identifier") for n in element_nodes),
                user,
            )
            elements: dict[str, Element] = {}
            for node in element_nodes:
                element = importer.element(node, definitions, folders, existing)
                if element is not None and element.exchange_id:
                    elements[element.exchange_id] = element
            rel_ids = [n.get("identifier") for n in relationship_nodes]
            importer.relationship_ids = {ident for ident in rel_ids if ident}
            importer.opd_ids |= {element.owner_id for element in elements.values()}
            existing_rels = _Existing(
                Relationship.objects.filter(source__owner__instansi=instansi).select_related("source__owner"),
                rel_ids,
                user,
            )
            taken = set(
                Relationship.objects.filter(source__owner__instansi=instansi)
                .exclude(kind=RelationshipKind.ARCHIMATE)
                .values_list("source_id", "target_id", "kind")
            )
            for node in relationship_nodes:
                importer.relationship(node, definitions, folders, elements, existing_rels, taken)
            if importer.errors:
                raise ArchimateImportError(importer.messages(), code="invalid")
            # Simpul's own layer views are drawn afresh by every export: not kept.
            view_ids = {v.get("identifier") for v in root.iter(qname("view"))}
            view_ids = {ident for ident in view_ids if not is_simpul_view(ident)}
            importer.result.views = store_views(root, instansi, root.get("identifier", ""), definitions, view_ids)
    except ValidationError as error:
        if isinstance(error, ArchimateImportError):
            raise
        raise ArchimateImportError(
            _("A record of the file was refused: %(error)s") % {"error": "; ".join(error.messages)}, code="invalid"
        ) from error
    return importer.result
