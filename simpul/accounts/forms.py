from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from simpul.core.forms import ScopedModelForm, bootstrapify
from simpul.core.models import ApiKey


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


class ApiKeyForm(ScopedModelForm):
    class Meta:
        model = ApiKey
        fields = ["name", "instansi", "owner", "external_system", "user", "expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The account a key acts as is fixed at issue (ApiKey.authorize_write refuses a change anyway).
            del self.fields["user"]
