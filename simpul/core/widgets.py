"""Reusable form widgets."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


class SearchableSelect(forms.Select):
    """A select with a search box above it: typing in the box hides the options whose text does not hold
    every word typed (simpul.js, `data-filter-select`), in the page, with no request. The box is sent
    hidden and shown by the script, so without JavaScript the select works as any other.

    The options are written in Python, escaped, rather than through one template per option as Django's
    Select does: the pickers hold hundreds of options, and the per-option templates were most of the
    page's rendering time.

    `group_by(record)` sorts the options into <optgroup>s by the label it returns (None: no group);
    `option_attrs(record)` gives extra attributes of an option, e.g. `data-filter-value` with the select's
    `data-filter-by="<field name>"` (only the options whose value is that field's are shown). Both are
    given the record of a ModelChoiceField's option; options of plain choices have none and get neither.
    """

    template_name = "core/widgets/searchable_select.html"
    placeholder = _("Type to filter the list")

    def __init__(
        self,
        attrs=None,
        choices=(),
        *,
        group_by: Callable[[object], object] | None = None,
        option_attrs: Callable[[object], dict] | None = None,
    ):
        super().__init__(attrs, choices)
        self.group_by = group_by
        self.option_attrs = option_attrs

    def get_context(self, name, value, attrs):
        # Widget's context only: ChoiceWidget's would build an option dictionary per choice, unused here.
        context = forms.Widget.get_context(self, name, value, attrs)
        if self.allow_multiple_selected:
            context["widget"]["attrs"]["multiple"] = True
        context["widget"]["options_html"] = self.options_html(context["widget"]["value"])
        context["widget"]["placeholder"] = self.placeholder
        return context

    def options_html(self, values: list[str]) -> str:
        selected = {str(v) for v in values}
        parts: list = []  # option markup, or a group's list of option markup
        groups: dict[str, list[str]] = {}
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):  # a group of plain choices
                group = groups.setdefault(str(option_value), [])
                if not group:
                    parts.append((str(option_value), group))
                group += [self._option(value, sub_label, selected, None) for value, sub_label in label]
                continue
            record = getattr(option_value, "instance", None)
            markup = self._option(option_value, label, selected, record)
            group_label = self.group_by(record) if record is not None and self.group_by else None
            if group_label is None:
                parts.append(markup)
                continue
            group_label = str(group_label)
            if group_label not in groups:
                groups[group_label] = []
                parts.append((group_label, groups[group_label]))
            groups[group_label].append(markup)
        html = []
        for part in parts:
            if isinstance(part, tuple):
                html.append(f'<optgroup label="{escape(part[0])}">{"".join(part[1])}</optgroup>')
            else:
                html.append(part)
        return mark_safe("".join(html))  # every value, label and group label above is escaped

    def _option(self, value, label, selected: set[str], record) -> str:
        value = "" if value is None else str(value)
        extra = flatatt(self.option_attrs(record) or {}) if record is not None and self.option_attrs else ""
        chosen = " selected" if value in selected else ""
        return f'<option value="{escape(value)}"{extra}{chosen}>{escape(str(label))}</option>'
