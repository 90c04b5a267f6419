from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.core.forms import ScopedModelForm
from simpul.organizations import services
from simpul.organizations.models import Instansi, PerangkatDaerah, RoleAssignment, User


class InstansiForm(ScopedModelForm):
    class Meta:
        model = Instansi
        fields = ["kind", "name", "slug", "region_code", "official_domain", "address"]


class PerangkatDaerahForm(ScopedModelForm):
    class Meta:
        model = PerangkatDaerah
        fields = [
            "instansi",
            "name",
            "short_name",
            "kind",
            "parent",
            "head_name",
            "email",
            "website",
            "is_active",
        ]


class UserForm(ScopedModelForm):
    password1 = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to keep the current password."),
    )

    class Meta:
        model = User
        fields = [
            "username",
            "full_name",
            "nip",
            "position",
            "email",
            "phone",
            "instansi",
            "opd",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["password1"].required = True
            self.fields["password1"].help_text = ""

    def _post_clean(self):
        super()._post_clean()
        password = self.cleaned_data.get("password1") if hasattr(self, "cleaned_data") else None
        if password and not self.errors.get("password1"):
            try:
                services.validate_new_password(password, self.instance)
            except forms.ValidationError as error:
                self.add_error("password1", error.error_dict["password"])

    def save(self, commit=True):
        password = self.cleaned_data.get("password1")
        if not password:
            return super().save(commit=commit)
        if not commit:
            raise ValueError("A password is saved only through organizations.services, with the account.")
        user = super().save(commit=False)
        if user.pk is None:
            return services.create_account(self.user, user, password)
        return services.set_password(self.user, user, password, fields=self._meta.fields)


class RoleAssignmentForm(ScopedModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "instansi", "opd"]
