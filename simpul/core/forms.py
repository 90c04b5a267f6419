"""Form helpers: Bootstrap classes on every widget, owner choices limited to what the user may hold."""

from django import forms

from simpul.core import permissions


def bootstrapify(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class ScopedModelForm(forms.ModelForm):
    """A ModelForm that knows its user: choices of related records are limited to what they may see,
    and an owner OPD field offers only the OPDs the user may hold records for."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        action = "change" if self.instance.pk else "add"
        for name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None or user is None:
                continue
            if name == "owner":
                field.queryset = permissions.allowed_owner_opds(user, action, self._meta.model, queryset)
            else:
                field.queryset = permissions.restrict(queryset, user, "view")
        bootstrapify(self)
