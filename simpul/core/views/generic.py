"""Generic list / detail / edit / delete / import views, configured by attributes only.

An app declares one `ModelViews` subclass per model (model, queryset, table, filterset, form) and gets
its pages and URL patterns; every page goes through `restrict()`.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db import models, router
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django_tables2 import RequestConfig

from simpul.core import importexport, importjobs, modules, permissions, services
from simpul.core.display import object_fields
from simpul.core.models import AuditEntry, ImportJob, WorkflowEvent

PAGE_SIZES = (25, 50, 100, 250)


class ListPaginator(Paginator):
    """The list pages' paginator, which may take the count it is given instead of counting.

    `known_count` is the filter set's (`BaseFilterSet.known_count`): the number of ids a search
    collected, or, when `count_is_minimum`, a minimum standing for a result too large to count; the
    pages then reach that far and the list says "more than". Narrowing the search gives an exact count.
    """

    def __init__(self, object_list, per_page, *args, known_count=None, count_is_minimum=False, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.known_count = known_count
        self.count_is_minimum = count_is_minimum

    @cached_property
    def count(self) -> int:
        return super().count if self.known_count is None else self.known_count


class ModelViewMixin(LoginRequiredMixin):
    """What every generic view shares: the model's config object and the scoped queryset."""

    config: type[ModelViews] | None = None
    action = "view"

    @property
    def model(self):
        return self.config.model

    def get_queryset(self, action: str | None = None) -> models.QuerySet:
        return permissions.restrict(self.config.get_queryset(), self.request.user, action or self.action)

    def base_context(self) -> dict:
        meta = self.model._meta
        user = self.request.user
        return {
            "config": self.config,
            "model_meta": meta,
            "verbose_name": meta.verbose_name,
            "verbose_name_plural": meta.verbose_name_plural,
            "urls": self.config.url_names(),
            "can_add": self.config.form is not None and permissions.has_model_permission(user, "add", self.model),
            "can_import": self.config.importable and permissions.has_model_permission(user, "add", self.model),
        }


class ObjectListView(ModelViewMixin, View):
    template_name = "core/object_list.html"

    def get(self, request):
        # A role without any view grant gets "forbidden", not an empty list that reads as "nothing there".
        if not permissions.has_model_permission(request.user, "view", self.model):
            raise PermissionDenied
        queryset = self.get_queryset()
        filterset = self.config.filterset(request.GET, queryset=queryset, request=request)
        if not filterset.is_valid():
            queryset = queryset.none()
        else:
            queryset = filterset.qs
        visible = self.visible_columns()
        # Configured once, below: a table given the request paginates itself with a full count first.
        same_rows = filterset.same_rows() if filterset.is_valid() else None
        table = self.config.table(queryset, visible_columns=visible, same_rows=same_rows)

        export_format = request.GET.get("export")
        if export_format in importexport.EXPORT_FORMATS:
            RequestConfig(request, paginate=False).configure(table)
            return importexport.export_table(table, self.model, export_format)

        per_page = self.per_page()
        paginate = {"per_page": per_page, "paginator_class": ListPaginator}
        known = filterset.known_count()
        if known is not None:
            paginate |= {"known_count": known[0], "count_is_minimum": known[1]}
        RequestConfig(request, paginate=paginate).configure(table)
        context = self.base_context() | {
            "table": table,
            "filterset": filterset,
            "column_choices": self.config.table.column_choices(),
            "visible_columns": table.visible_column_names,
            "page_sizes": PAGE_SIZES,
            "per_page": per_page,
            "active_filters": [
                (filterset.form.fields[name].label, value)
                for name, value in filterset.form.cleaned_data.items()
                if value not in (None, "", [])
            ]
            if filterset.is_valid()
            else [],
        }
        # The filters folded behind one button on a phone (all but the search box) that are in use.
        context["active_filter_count"] = (
            sum(1 for name, value in filterset.form.cleaned_data.items() if name != "q" and value not in (None, "", []))
            if filterset.is_valid()
            else 0
        )

        template = "core/partials/list_results.html" if request.htmx else self.template_name
        return render(request, template, context)

    def per_page(self) -> int:
        try:
            value = int(self.request.GET.get("per_page", PAGE_SIZES[1]))
        except ValueError:
            return PAGE_SIZES[1]
        return value if value in PAGE_SIZES else PAGE_SIZES[1]

    def visible_columns(self) -> list[str] | None:
        """Columns chosen with ?columns=a,b (remembered in the session), else the table's default."""
        session_key = f"columns:{self.model._meta.label_lower}"
        if "columns" in self.request.GET:
            chosen = [c for c in self.request.GET.getlist("columns") if c]
            if len(chosen) == 1 and "," in chosen[0]:
                chosen = chosen[0].split(",")
            valid = [c for c in chosen if c in self.config.table.base_columns]
            if valid:
                self.request.session[session_key] = valid
            else:
                self.request.session.pop(session_key, None)
        return self.request.session.get(session_key)


class ObjectDetailView(ModelViewMixin, View):
    template_name = "core/object_detail.html"

    def get(self, request, pk):
        obj = get_object_or_404(self.get_queryset(), pk=pk)
        user = request.user
        related = []
        for title, accessor in self.config.related:
            queryset = permissions.restrict(accessor(obj), user, "view")
            related.append({"title": title, "objects": list(queryset[:25]), "count": queryset.count()})
        context = self.base_context() | {
            "object": obj,
            "fields": object_fields(obj, self.config.detail_fields),
            "related": related,
            "history": object_timeline(obj),
            "can_change": self.config.form is not None and permissions.can(user, "change", obj),
            "can_delete": self.config.deletable and permissions.can(user, "delete", obj),
        }
        return render(request, self.config.detail_template or self.template_name, context)


@functools.cache
def same_record_models(model: type[models.Model]) -> tuple[type[models.Model], ...]:
    """The concrete models whose rows with one primary key value are one record: the model itself, the
    multi-table inheritance parents it extends and the children extending it, each linked by its primary
    key (an Application is the Element with the same id). Without such inheritance, the model alone.

    The audit trail records a change under the concrete model that was saved, and a workflow event names
    the record as its service held it: the history of one record is spread over these types. Every child
    type of a parent is named, not only the one a given row has: a child's row always has its parent's
    primary key, so an entry of another child type with that id cannot be about another record, and
    finding the row's own type would cost a query per child table.
    """
    model = model._meta.concrete_model
    found = [model]
    current = model
    while (link := current._meta.pk).one_to_one and link.remote_field.parent_link and link.target_field.primary_key:
        current = link.related_model._meta.concrete_model
        found.append(current)
    pending = [model]
    while pending:
        parent = pending.pop()
        for relation in parent._meta.related_objects:
            link = relation.field
            if relation.one_to_one and relation.parent_link and link.primary_key and link.target_field.primary_key:
                child = relation.related_model._meta.concrete_model
                if child not in found:
                    found.append(child)
                    pending.append(child)
    return tuple(found)


def record_content_types(obj: models.Model) -> list[ContentType]:
    """The content types the audit entries and workflow events of `obj` may be written under (see
    `same_record_models`); read from the content type cache, so no query once it is warm."""
    found = ContentType.objects.get_for_models(*same_record_models(type(obj)), for_concrete_models=True)
    return list(found.values())


def object_history(obj: models.Model) -> models.QuerySet:
    """The audit entries of a record, including those written for its inheritance parents and children."""
    return AuditEntry.objects.filter(content_type__in=record_content_types(obj), object_id=str(obj.pk)).select_related(
        "actor"
    )


def object_events(obj: models.Model) -> models.QuerySet:
    """The workflow events of a record, including those written for its inheritance parents and children,
    newest first (`workflow.events_of` reads one record type only)."""
    return WorkflowEvent.objects.filter(
        content_type__in=record_content_types(obj), object_id=str(obj.pk)
    ).select_related("actor")


def object_timeline(obj: models.Model, limit: int = 20, entries: models.QuerySet | None = None) -> list:
    """The newest audit entries and workflow events of a record, merged by time (the history panel).

    A record of a multi-table inheritance model includes what was recorded under its parent and child
    types with the same primary key (an element's page shows the changes of its typed Application and
    the publication recorded on the Element). Two queries, whatever the length of the history.
    `entries` replaces the record's own audit entries (a view that also shows related records' entries).
    """
    entries = list((object_history(obj) if entries is None else entries)[:limit])
    events = list(object_events(obj)[:limit])
    for event in events:
        event.is_workflow_event = True
    return sorted(entries + events, key=lambda item: item.timestamp, reverse=True)[:limit]


class ObjectEditView(ModelViewMixin, View):
    """Add and edit pages. An edit form carries the record's `row_version` as it was shown; saving it over
    a newer version is refused with the current values, so nobody overwrites a change they never saw."""

    template_name = "core/object_edit.html"
    conflict: services.EditConflict | None = None
    # The services that write a new record and a change: a module whose writes do more (tell an owner,
    # check a rule of its own) names its own, with the same signature, and the API viewset names the same.
    create_record = staticmethod(services.create_object)
    update_record = staticmethod(services.update_object)

    def get_object(self, pk):
        if pk is None:
            return self.model()
        return get_object_or_404(self.get_queryset("change"), pk=pk)

    def get(self, request, pk=None):
        obj = self.get_object(pk)
        if pk is None and not permissions.has_model_permission(request.user, "add", self.model):
            raise PermissionDenied
        form = self.config.form(instance=obj, user=request.user, initial=request.GET.dict() if pk is None else None)
        return self.render_form(form, obj)

    def post(self, request, pk=None):
        obj = self.get_object(pk)
        if pk is None and not permissions.has_model_permission(request.user, "add", self.model):
            raise PermissionDenied
        form = self.config.form(request.POST, request.FILES, instance=obj, user=request.user)
        if form.is_valid():
            try:
                if pk is None:
                    obj = self.create_record(request.user, form.instance, save=form.save)
                    messages.success(request, _("%(name)s was created.") % {"name": obj})
                else:
                    version = request.POST.get(ROW_VERSION_PARAMETER) or None
                    obj = self.update_record(request.user, form.instance, save=form.save, version=version)
                    messages.success(request, _("%(name)s was saved.") % {"name": obj})
            except services.EditConflict as conflict:
                form.add_error(None, str(conflict))
                self.conflict = conflict
                return self.render_form(form, conflict.current, status=409)
            except PermissionDenied as error:
                form.add_error(None, str(error) or _("You may not save this record."))
            else:
                return HttpResponseRedirect(obj.get_absolute_url() or reverse(self.config.url_names()["list"]))
        return self.render_form(form, obj, status=400 if request.method == "POST" else 200)

    def render_form(self, form, obj, status=200):
        context = self.base_context() | {"form": form, "object": obj if obj.pk else None}
        if obj.pk:
            # After a conflict the stored version: saving again is then a choice made seeing it.
            context["row_version"] = services.row_version(self.conflict.current if self.conflict else obj)
            context["row_version_parameter"] = ROW_VERSION_PARAMETER
        if self.conflict is not None:
            context["conflict_rows"] = conflict_rows(form, self.conflict.current)
        return render(request=self.request, template_name=self.template_name, context=context, status=status)


ROW_VERSION_PARAMETER = "_row_version"


def conflict_rows(form, current: models.Model) -> list[dict]:
    """The form's fields with the value stored now, marking those that differ from what was submitted."""
    rows = []
    shown = {row["name"]: row for row in object_fields(current)}
    for name in form.fields:
        try:
            field = current._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not getattr(field, "concrete", False) or field.many_to_many or name not in shown:
            continue
        stored = field.value_from_object(current)
        submitted = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        submitted = getattr(submitted, "pk", submitted)
        rows.append({**shown[name], "differs": stored != submitted})
    return rows


class ObjectDeleteView(ModelViewMixin, View):
    template_name = "core/object_delete.html"

    def get_object(self, pk):
        return get_object_or_404(self.get_queryset("delete"), pk=pk)

    def get(self, request, pk):
        obj = self.get_object(pk)
        return render(request, self.template_name, self.base_context() | {"object": obj, **deletion_impact(obj)})

    def post(self, request, pk):
        obj = self.get_object(pk)
        try:
            services.delete_object(request.user, obj)
        except (ProtectedError, RestrictedError):
            messages.error(request, _("%(name)s cannot be deleted while other records depend on it.") % {"name": obj})
            return render(
                request,
                self.template_name,
                self.base_context() | {"object": obj, **deletion_impact(obj)},
                status=409,
            )
        messages.success(request, _("%(name)s was deleted.") % {"name": obj})
        return HttpResponseRedirect(reverse(self.config.url_names()["list"]))


def deletion_impact(obj: models.Model) -> dict:
    """What deleting `obj` would also delete, and which records prevent the deletion."""
    collector = Collector(using=router.db_for_write(type(obj)), origin=obj)
    blocking: list = []
    try:
        collector.collect([obj])
    except ProtectedError as error:
        blocking = list(error.protected_objects)
    except RestrictedError as error:
        blocking = list(error.restricted_objects)
    cascades = []
    for model, instances in collector.data.items():
        others = [instance for instance in instances if instance != obj]
        if others:
            cascades.append((model._meta.verbose_name_plural, len(others)))
    return {"blocking": blocking[:50], "blocking_count": len(blocking), "cascades": cascades}


class BulkImportView(ModelViewMixin, View):
    template_name = "core/object_import.html"
    action = "add"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.config.importable or not permissions.has_model_permission(request.user, "add", self.model):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def base_context(self) -> dict:
        return super().base_context() | {"sync_max_rows": settings.SIMPUL_IMPORT_SYNC_MAX_ROWS}

    def get(self, request):
        template_format = request.GET.get("template")
        if template_format in importexport.EXPORT_FORMATS:
            return importexport.import_template(self.config, template_format)
        return render(request, self.template_name, self.base_context() | {"upload_form": importexport.UploadForm()})

    def post(self, request):
        upload_form = importexport.UploadForm(request.POST, request.FILES)
        context = self.base_context() | {"upload_form": upload_form}
        if not upload_form.is_valid():
            return render(request, self.template_name, context, status=400)
        try:
            rows = importexport.read_rows(upload_form.cleaned_data["file"])
        except importexport.ImportFileError as error:
            upload_form.add_error("file", str(error))
            return render(request, self.template_name, context, status=400)
        mode = upload_form.cleaned_data["mode"]
        dry_run = mode == ImportJob.Mode.PREVIEW
        if len(rows) > settings.SIMPUL_IMPORT_SYNC_MAX_ROWS:
            # Too long for one request: a worker runs it, the job page shows its progress and report.
            job = importjobs.start_import_job(
                request.user,
                self.config,
                upload_form.cleaned_data["file"],
                mode=upload_form.cleaned_data["mode"],
                total_rows=len(rows),
            )
            return HttpResponseRedirect(job.get_absolute_url())
        result = importexport.import_rows(
            request.user, self.config, rows, commit=not dry_run, skip_invalid=mode == ImportJob.Mode.PARTIAL
        )
        context |= {"result": result, "dry_run": dry_run}
        if result.skipped_rows:
            messages.success(
                request,
                _("%(count)d records were imported; %(skipped)d rows with errors were skipped.")
                % {"count": result.saved, "skipped": len(result.skipped_rows)},
            )
            return render(request, self.template_name, context)
        if result.ok and not dry_run:
            messages.success(request, _("%(count)d records were imported.") % {"count": result.saved})
            return HttpResponseRedirect(reverse(self.config.url_names()["list"]))
        return render(request, self.template_name, context, status=200 if result.ok else 400)


class ModelViews(importexport.ImportConfig):
    """Declarative configuration of one model's pages. Subclass and set attributes; use `urls()`.

    `model`, `form`, `import_form`, `import_lookups` and `importable` are declared by ImportConfig.
    """

    queryset: models.QuerySet | None = None
    table = None
    filterset = None
    deletable = True
    detail_fields: list[str] | None = None
    detail_template: str | None = None
    related: list = []  # (title, callable(obj) -> queryset)
    url_prefix: str | None = None

    list_view = ObjectListView
    detail_view = ObjectDetailView
    edit_view = ObjectEditView
    delete_view = ObjectDeleteView
    import_view = BulkImportView

    @classmethod
    def get_queryset(cls) -> models.QuerySet:
        return (cls.queryset if cls.queryset is not None else cls.model._default_manager).all()

    @classmethod
    def url_names(cls) -> dict[str, str]:
        # The namespace of the model's pages: its app's, or that of the module managing it (`manages`).
        app, name = modules.url_namespace(cls.model), cls.name()
        return {kind: f"{app}:{name}_{kind}" for kind in ("list", "add", "detail", "edit", "delete", "import")}

    @classmethod
    def urls(cls) -> list:
        prefix = cls.url_prefix or cls.name()
        name = cls.name()
        patterns = [
            path(f"{prefix}/", cls.list_view.as_view(config=cls), name=f"{name}_list"),
            path(f"{prefix}/<int:pk>/", cls.detail_view.as_view(config=cls), name=f"{name}_detail"),
        ]
        if cls.form is not None:
            patterns += [
                path(f"{prefix}/add/", cls.edit_view.as_view(config=cls), name=f"{name}_add"),
                path(f"{prefix}/<int:pk>/edit/", cls.edit_view.as_view(config=cls), name=f"{name}_edit"),
            ]
            if cls.importable:
                patterns.append(path(f"{prefix}/import/", cls.import_view.as_view(config=cls), name=f"{name}_import"))
        if cls.deletable:
            patterns.append(
                path(f"{prefix}/<int:pk>/delete/", cls.delete_view.as_view(config=cls), name=f"{name}_delete")
            )
        return patterns
