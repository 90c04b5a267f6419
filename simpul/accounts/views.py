"""Sign-in (with optional TOTP), sign-out, password change, two-factor set-up, and the API-key pages."""

from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import RedirectView
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from simpul.accounts import filters, forms, services, tables, twofactor
from simpul.core import permissions
from simpul.core.forms import bootstrapify
from simpul.core.models import ApiKey
from simpul.core.views.generic import ModelViewMixin, ModelViews, ObjectEditView

# --- Sign-in and two-factor -----------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    form_class = forms.LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        device = getattr(form.get_user(), "otp_device", None)
        if device is not None:
            otp_login(self.request, device)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = "/"

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        bootstrapify(form)
        return form

    def form_valid(self, form):
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)


@method_decorator(login_required, name="dispatch")
class TwoFactorView(View):
    """Set up, confirm or remove a TOTP authenticator for the signed-in user."""

    template_name = "registration/two_factor.html"

    def get(self, request):
        return self.render_page(request)

    def render_page(self, request, errors=None, status=200):
        confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
        pending = None
        qr_svg = ""
        secret = ""
        if confirmed is None:
            pending = twofactor.pending_device(request.user)
            qr_svg = segno.make(pending.config_url, error="m").svg_inline(scale=4)
            secret = b32encode(pending.bin_key).decode()
        return render(
            request,
            self.template_name,
            {"confirmed": confirmed, "pending": pending, "qr_svg": qr_svg, "secret": secret, "errors": errors or []},
            status=status,
        )

    def post(self, request):
        password = request.POST.get("password", "")
        token = request.POST.get("token", "")
        try:
            if request.POST.get("action") == "remove":
                twofactor.turn_off(request.user, password=password, token=token)
                messages.success(request, _("Two-factor sign-in was turned off."))
            else:
                device = twofactor.turn_on(request.user, password=password, token=token)
                # The password was re-hashed to end other sessions; this one stays signed in.
                update_session_auth_hash(request, request.user)
                otp_login(request, device)
                messages.success(
                    request,
                    _(
                        "Two-factor sign-in is on. You will be asked for a code at every sign-in. Your other "
                        "sessions and API tokens were ended."
                    ),
                )
        except ValidationError as error:
            return self.render_page(request, errors=error.messages, status=400)
        return redirect("two_factor")


# --- API keys -------------------------------------------------------------------------------------


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
                key, secret = services.issue_api_key(
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
                    "accounts/apikey_created.html",
                    self.base_context() | {"object": key, "secret": secret},
                )
        return self.render_form(form, form.instance, status=400)


class ApiKeyRevokeView(ModelViewMixin, View):
    def post(self, request, pk):
        key = get_object_or_404(self.get_queryset("change"), pk=pk)
        services.revoke_api_key(request.user, key)
        messages.success(request, _("The key %(name)s was revoked.") % {"name": key})
        return redirect(key.get_absolute_url())


class ApiKeyViews(ModelViews):
    model = ApiKey
    url_prefix = "api-keys"
    queryset = ApiKey.objects.select_related("instansi", "owner", "user")
    table = tables.ApiKeyTable
    filterset = filters.ApiKeyFilterSet
    form = forms.ApiKeyForm
    importable = False
    edit_view = ApiKeyCreateView
    detail_template = "accounts/apikey_detail.html"
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


class OldApiKeyPageView(RedirectView):
    """The API-key pages were under /core/api-keys/ until they moved with the accounts module; bookmarks
    and links in old e-mails still arrive there."""

    permanent = True

    def get_redirect_url(self, *args, rest: str = "", **kwargs) -> str:
        url = reverse("accounts:apikey_list") + rest
        query = self.request.META.get("QUERY_STRING", "")
        return f"{url}?{query}" if query else url
