import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from simpul.core import apikeys, permissions
from simpul.core.filters import BaseFilterSet
from simpul.core.forms import ScopedModelForm
from simpul.core.models import ApiKey
from simpul.core.tables import BaseTable
from simpul.core.views.generic import ModelViewMixin, ModelViews, ObjectEditView


class ApiKeyFilterSet(BaseFilterSet):
    search_fields = ("name", "external_system", "prefix")
    revoked = django_filters.BooleanFilter(
        field_name="revoked_at", lookup_expr="isnull", exclude=True, label=gettext_lazy("Revoked")
    )

    class Meta:
        model = ApiKey
        fields = ["instansi", "owner"]


class ApiKeyTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = ApiKey
        fields = [
            "name",
            "prefix",
            "instansi",
            "owner",
            "external_system",
            "user",
            "expires_at",
            "revoked_at",
            "last_used_at",
        ]

    default_columns = ("name", "prefix", "owner", "external_system", "user", "revoked_at", "last_used_at")


class ApiKeyForm(ScopedModelForm):
    class Meta:
        model = ApiKey
        fields = ["name", "instansi", "owner", "external_system", "user", "expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The account a key acts as is fixed at issue (ApiKey.authorize_write refuses a change anyway).
            del self.fields["user"]


class ApiKeyCreateView(ObjectEditView):
    """Creating a key shows its secret exactly once."""

    def post(self, request, pk=None):
        if pk is not None:
            return super().post(request, pk)
        if not permissions.has_model_permission(request.user, "add", ApiKey):
            raise PermissionDenied
        form = self.config.form(request.POST, instance=ApiKey(), user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                key, secret = apikeys.issue_api_key(
                    request.user,
                    name=data["name"],
                    instansi=data["instansi"],
                    owner=data.get("owner"),
                    acts_as=data["user"],
                    external_system=data.get("external_system", ""),
                    expires_at=data.get("expires_at"),
                )
            except PermissionDenied:
                form.add_error(None, _("You may not issue a key for this account here."))
            else:
                return render(
                    request,
                    "core/apikey_created.html",
                    self.base_context() | {"object": key, "secret": secret},
                )
        return self.render_form(form, form.instance, status=400)


class ApiKeyRevokeView(ModelViewMixin, View):
    def post(self, request, pk):
        key = get_object_or_404(self.get_queryset("change"), pk=pk)
        apikeys.revoke_api_key(request.user, key)
        messages.success(request, _("The key %(name)s was revoked.") % {"name": key})
        return redirect(key.get_absolute_url())


class ApiKeyViews(ModelViews):
    model = ApiKey
    url_prefix = "api-keys"
    queryset = ApiKey.objects.select_related("instansi", "owner", "user")
    table = ApiKeyTable
    filterset = ApiKeyFilterSet
    form = ApiKeyForm
    importable = False
    edit_view = ApiKeyCreateView
    detail_template = "core/apikey_detail.html"
    detail_fields = [
        "name",
        "prefix",
        "instansi",
        "owner",
        "external_system",
        "user",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
