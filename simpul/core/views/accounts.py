"""Sign-in (with optional TOTP), sign-out, password change and two-factor set-up."""

from base64 import b32encode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from simpul.core import twofactor
from simpul.core.forms import bootstrapify


class LoginForm(AuthenticationForm):
    """Username and password; the one-time code is asked only of users who set up two-factor sign-in."""

    otp_token = forms.CharField(
        label=gettext_lazy("Authenticator code"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=gettext_lazy("Only if you turned on two-factor sign-in."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True)) if user else []
        if devices:
            token = (cleaned.get("otp_token") or "").strip()
            if not token:
                raise forms.ValidationError(_("Enter the code from your authenticator app."), code="token_required")
            device = next((d for d in devices if d.verify_token(token)), None)
            if device is None:
                raise forms.ValidationError(_("The authenticator code is wrong or expired."), code="invalid_token")
            user.otp_device = device
        return cleaned


class LoginView(auth_views.LoginView):
    form_class = LoginForm
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
