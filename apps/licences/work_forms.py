"""Forms of the licence work pages: entry / draft completion (LIC-1.7, 1.9) and change (LIC-1.11).

The forms only parse input; the rules (required fields, face parameters, validity order, allowed
changes) are the services'. ``apply_service_errors`` puts a service's ValidationError back on the form.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import FaceParameterKind, HolderKind, Licence, LicenceTemplate

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FACE_PREFIX = "face_"


def _face_fields(form: forms.Form, template: LicenceTemplate, initial: dict) -> None:
    for param in template.parameters.all():
        if param.kind != FaceParameterKind.TEXT:
            continue
        form.fields[FACE_PREFIX + param.key] = forms.CharField(
            label=param.label, required=False, max_length=500, initial=initial.get(param.key, ""),
            help_text=_("照面信息（必填）") if param.required else _("照面信息"))


class LicenceEntryForm(forms.Form):
    """Licence fields plus the template's text face parameters; every field optional here because a
    draft needs only the name — the service decides what a full entry requires."""

    name = forms.CharField(label=_("证照名称"), max_length=128, required=False)
    licence_number = forms.CharField(label=_("证照编号"), max_length=64, required=False)
    holder_name = forms.CharField(label=_("持证主体"), max_length=128, required=False)
    holder_kind = forms.ChoiceField(label=_("持证主体类型"), choices=HolderKind.choices)
    holder_code = forms.CharField(label=_("持证主体代码"), max_length=64, required=False,
                                  help_text=_("统一社会信用代码或身份证件号码"))
    valid_from = forms.DateField(label=_("有效期起"), required=False, widget=DATE)
    valid_until = forms.DateField(label=_("有效期至"), required=False, widget=DATE, help_text=_("留空为长期"))

    def __init__(self, *args, template: LicenceTemplate, licence: Licence | None = None, **kwargs):
        face = dict(licence.face_data) if licence else {}
        if licence is not None and "initial" not in kwargs:
            kwargs["initial"] = {field: getattr(licence, field) for field in
                                 ("name", "licence_number", "holder_name", "holder_kind", "holder_code",
                                  "valid_from", "valid_until")}
        super().__init__(*args, **kwargs)
        self.fields["holder_kind"].initial = (licence.holder_kind if licence else template.holder_kind)
        if licence is None:
            self.fields["name"].initial = template.name
        _face_fields(self, template, face)

    def service_data(self) -> dict:
        data = {key: value for key, value in self.cleaned_data.items() if not key.startswith(FACE_PREFIX)}
        data = {key: ("" if value is None and key not in ("valid_from", "valid_until") else value)
                for key, value in data.items()}
        data["face_data"] = {key[len(FACE_PREFIX):]: value.strip() for key, value in self.cleaned_data.items()
                             if key.startswith(FACE_PREFIX)}
        return data


class LicenceChangeForm(forms.Form):
    """Change (LIC-1.11): only the fields the service allows; unchanged fields are not sent."""

    licence_number = forms.CharField(label=_("证照编号"), max_length=64, required=False)
    holder_kind = forms.ChoiceField(label=_("持证主体类型"), choices=HolderKind.choices)
    valid_from = forms.DateField(label=_("有效期起"), widget=DATE)
    valid_until = forms.DateField(label=_("有效期至"), required=False, widget=DATE, help_text=_("留空为长期"))

    def __init__(self, *args, licence: Licence, **kwargs):
        self.licence = licence
        kwargs.setdefault("initial", {"licence_number": licence.licence_number, "holder_kind": licence.holder_kind,
                                      "valid_from": licence.valid_from, "valid_until": licence.valid_until})
        super().__init__(*args, **kwargs)
        _face_fields(self, licence.template, dict(licence.face_data))

    def changes(self) -> dict:
        """Only what differs from the current version; refuses an empty change."""
        changes, face = {}, {}
        for key, value in self.cleaned_data.items():
            if key.startswith(FACE_PREFIX):
                name = key[len(FACE_PREFIX):]
                if value.strip() != str(self.licence.face_data.get(name, "")):
                    face[name] = value.strip()
            elif value != getattr(self.licence, key):
                changes[key] = value.strip() if isinstance(value, str) else value
        if face:
            changes["face_data"] = face
        if not changes:
            raise ValidationError(_("没有修改任何内容。"))
        return changes


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: ``face_data.<key>`` on the face field, unknown
    keys as form-wide errors."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, errors in exc.message_dict.items():
        field = FACE_PREFIX + key.split(".", 1)[1] if key.startswith("face_data.") else key
        for message in errors:
            form.add_error(field if field in form.fields else None, message)
