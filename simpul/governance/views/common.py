"""What the governance pages share: a detail page with the generic context plus the page's own, the
authorised document download, refused steps shown beside their form, and the instansi a page is about."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from simpul.core import files, permissions
from simpul.core.display import object_fields
from simpul.core.views.generic import ModelViewMixin, object_timeline
from simpul.core.workflow import NOT_PERMITTED, NOTE_REQUIRED, TransitionError
from simpul.organizations.models import Instansi


class DetailPage(ModelViewMixin, View):
    """A record's page: the generic detail context (fields, related lists, history, edit/delete rights)
    plus `extra_context`, and POSTed workflow steps: `steps` maps a step's name to the service that takes it,
    called as the API calls it, `service(user, obj, **data)` with the data of the form `make_step_form` gives."""

    template_name = "core/object_detail.html"

    def get_object(self, pk):
        return get_object_or_404(self.get_queryset(), pk=pk)

    def get(self, request, pk):
        return self.render_page(self.get_object(pk))

    def may_change(self, obj) -> bool:
        return self.config.form is not None and permissions.can(self.request.user, "change", obj)

    def context(self, obj) -> dict:
        user = self.request.user
        related = []
        for title, accessor in self.config.related:
            queryset = permissions.restrict(accessor(obj), user, "view")
            related.append({"title": title, "objects": list(queryset[:25]), "count": queryset.count()})
        return self.base_context() | {
            "object": obj,
            "fields": object_fields(obj, self.config.detail_fields),
            "related": related,
            "history": object_timeline(obj),
            "can_change": self.may_change(obj),
            "can_delete": self.config.deletable and permissions.can(user, "delete", obj),
        }

    def extra_context(self, obj, forms: dict) -> dict:
        return {}

    def step_forms(self, obj, bound: dict | None = None) -> dict:
        """The forms of the workflow steps the user may take now, by name (a bound one replaces a fresh one)."""
        if not self.steps:
            return {}
        bound = bound or {}
        allowed = [step.name for step in self.model.workflow.allowed(self.request.user, obj) if step.name in self.steps]
        return {name: bound.get(name) or self.make_step_form(name, obj) for name in allowed}

    def render_page(self, obj, *, status=200, forms: dict | None = None, refused: str = ""):
        forms = self.step_forms(obj, forms or {})
        steps = [
            {"name": name, "form": form, "label": self.model.workflow.by_name[name].label}
            for name, form in forms.items()
        ]
        context = self.context(obj) | {"steps": steps, "refused": refused} | self.extra_context(obj, forms)
        return render(self.request, self.template_name, context, status=status)

    # --- Steps ------------------------------------------------------------------------------------

    steps: dict = {}
    step_messages: dict = {}

    def post(self, request, pk):
        obj = self.get_object(pk)
        name = request.POST.get("step", "")
        if name not in self.steps:
            raise Http404
        form = self.make_step_form(name, obj, request.POST)
        if not form.is_valid():
            return self.render_page(obj, status=400, forms={name: form})
        try:
            self.steps[name](request.user, obj, **form.cleaned_data)
        except TransitionError as error:
            if error.status == 403 and error.code == NOT_PERMITTED:
                raise PermissionDenied(error.detail) from error
            refused = error.detail
            for field, problems in error.fields.items():
                form.add_error(field if field in form.fields else None, problems)
                refused = ""
            if error.code == NOTE_REQUIRED and "note" in form.fields:
                refused = ""
            return self.render_page(obj, status=error.status, forms={name: form}, refused=refused)
        except ValidationError as error:
            add_errors(form, error)
            return self.render_page(obj, status=400, forms={name: form})
        messages.success(request, self.step_messages.get(name, _("Saved.")))
        return HttpResponseRedirect(obj.get_absolute_url())

    def make_step_form(self, name: str, obj, data=None):
        """The form of step `name` on `obj` (bound to `data` when posted); its fields are the service's
        keyword arguments."""
        raise NotImplementedError


def add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.error_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error)


class DocumentDownloadView(LoginRequiredMixin, View):
    """The only way to a stored document: after the view permission on its record."""

    model = None

    def get(self, request, pk):
        record = get_object_or_404(permissions.restrict(self.model._default_manager.all(), request.user, "view"), pk=pk)
        if not record.document or not record.document.storage.exists(record.document.name):
            raise Http404(_("This record has no stored document."))
        return files.serve_file(record.document, filename=record.document_name, content_type=record.document_type)


def visible_instansi(user):
    return permissions.restrict(Instansi.objects.order_by("name"), user, "view")


def instansi_for(request) -> Instansi | None:
    """The instansi a page is about: `?instansi=<id>` among those the user may view, else their own, else
    the first they may view."""
    visible = visible_instansi(request.user)
    chosen = request.GET.get("instansi", "")
    if chosen.isdigit() and len(chosen) < 19:
        found = visible.filter(pk=int(chosen)).first()
        if found is not None:
            return found
    own = getattr(request.user, "instansi_id", None)
    return (visible.filter(pk=own).first() if own else None) or visible.first()
