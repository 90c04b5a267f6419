"""Every field of every module's models has a name people read in their language: Django's default (the
attribute name with spaces, "period") would show English in table headers, filters and the audit trail."""

from django.utils.functional import Promise

from simpul.core import modules


def test_every_field_has_a_translatable_name():
    untranslated = [
        f"{model._meta.label}.{field.name}: {field.verbose_name!r}"
        for module in modules.simpul_modules()
        for model in module.get_models()
        for field in model._meta.get_fields()
        if getattr(field, "concrete", False)
        and not field.auto_created
        and not field.primary_key
        and not isinstance(field.verbose_name, Promise)
    ]
    assert not untranslated, "Give these fields a verbose_name through gettext_lazy:\n" + "\n".join(untranslated)
