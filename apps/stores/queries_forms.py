"""The input form of a query service, built from its catalogue row (the page and the API share it)."""
from __future__ import annotations

from django import forms

from apps.core.validators import to_half_width
from apps.stores.queries_catalogue import CHOICES, FIELDS, QueryService


class QueryField(forms.CharField):
    """A text input normalised the way people type codes: half-width, trimmed, upper case where asked."""

    def __init__(self, *, upper: bool = False, **kwargs):
        self.upper = upper
        super().__init__(**kwargs)

    def to_python(self, value):
        value = to_half_width(super().to_python(value) or "").strip()
        return value.upper() if self.upper else value


def _field(code: str, required: bool) -> forms.Field:
    kind = FIELDS[code]
    if code in CHOICES:
        return forms.ChoiceField(label=kind.label, required=required,
                                 choices=[("", "——请选择——"), *CHOICES[code]])
    widget = forms.TextInput(attrs={"placeholder": kind.placeholder, "autocomplete": "off"})
    validators = [kind.validator] if kind.validator else []
    return QueryField(label=kind.label, required=required, max_length=kind.max_length, upper=kind.upper,
                      validators=validators, widget=widget)


def query_form(service: QueryService, data=None) -> forms.Form:
    form = forms.Form(data)
    for field in service.inputs:
        form.fields[field.code] = _field(field.code, field.required)
    return form
