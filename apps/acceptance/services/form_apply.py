"""Forms in the online application (ACC-16.8) and form-to-basic-information mappings (ACC-16.4).

The apply page and the apply API both go through `application_answers`: the item's bound published
form checks the answers (services.forms), mapped answers are written back to the case's applicant
fields, and the answers are stored under `form_data["application_form"]` with the form code and version.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.acceptance.models.forms import Form, FormMapping, FormStatus, FormVersion, ItemForm, MappingTarget
from apps.acceptance.services.form_admin import latest_published
from apps.acceptance.services.forms import form_submission_validate, schema_fields
from apps.core.models import Organisation
from apps.core.scope import can_see, restrict
from apps.core.services.audit import audit_record

FORM_DATA_KEY = "application_form"


def _address(user) -> str:
    address = user.delivery_addresses.order_by("-is_default", "-updated_at").first() if user.pk else None
    return address.detail if address else ""


@dataclass(frozen=True)
class Attribute:
    label: str
    targets: tuple
    read: object                      # user -> str (pre-fill from the identity profile)
    applicant_field: str = ""         # the case column a mapped answer is written back to


NP, LP, CA = MappingTarget.NATURAL_PERSON, MappingTarget.LEGAL_PERSON, MappingTarget.CASE_APPLICANT
MAPPING_ATTRIBUTES: dict[str, Attribute] = {
    "full_name": Attribute(gettext_lazy("姓名"), (NP,), lambda u: u.full_name, "applicant_name"),
    "id_number": Attribute(gettext_lazy("身份证号码"), (NP,), lambda u: u.id_number, "applicant_id_number"),
    "mobile_number": Attribute(gettext_lazy("手机号码"), (NP, LP), lambda u: u.mobile_number, "applicant_mobile"),
    "email": Attribute(gettext_lazy("电子邮箱"), (NP, LP), lambda u: u.email),
    "address": Attribute(gettext_lazy("地址（默认收件地址）"), (NP, LP), _address),
    "company_name": Attribute(gettext_lazy("单位名称"), (LP,), lambda u: u.full_name, "applicant_name"),
    "credit_code": Attribute(gettext_lazy("统一社会信用代码"), (LP,), lambda u: u.credit_code,
                             "applicant_id_number"),
    "legal_representative": Attribute(gettext_lazy("法定代表人"), (LP,), lambda u: u.legal_representative),
    "applicant_name": Attribute(gettext_lazy("申请人"), (CA,), lambda u: u.full_name, "applicant_name"),
    "applicant_id_number": Attribute(gettext_lazy("申请人证件号码"), (CA,), lambda u: u.id_number or u.credit_code,
                                     "applicant_id_number"),
    "applicant_mobile": Attribute(gettext_lazy("申请人电话"), (CA,), lambda u: u.mobile_number,
                                  "applicant_mobile"),
}


def attributes_for(target: str) -> list[tuple[str, str]]:
    return [(key, str(a.label)) for key, a in MAPPING_ATTRIBUTES.items() if target in a.targets]


def bound_form(item) -> tuple[Form, FormVersion] | None:
    """The item's bound form and its latest published version, if the form is in use."""
    binding = ItemForm.objects.filter(item=item, form__status=FormStatus.PUBLISHED).select_related("form").first()
    if binding is None:
        return None
    version = latest_published(binding.form)
    return (binding.form, version) if version else None


def _mappings(form: Form, user) -> list[FormMapping]:
    targets = [CA] + ([user.kind] if getattr(user, "kind", "") in (NP, LP) else [])
    return list(form.mappings.filter(target__in=targets))


def application_prefill(form: Form, version: FormVersion, user) -> dict:
    """Initial answers from the logged-in user's identity profile through the form's mappings."""
    keys = {f["key"] for f in schema_fields(version.schema)}
    initial = {}
    for mapping in _mappings(form, user):
        for pair in mapping.pairs:
            attribute = MAPPING_ATTRIBUTES.get(pair["attribute"])
            if attribute and pair["field"] in keys and not initial.get(pair["field"]):
                initial[pair["field"]] = attribute.read(user) or ""
    return initial


def application_answers(*, item, data, user, proxy: bool = False) -> tuple[dict, dict]:
    """(form_data entries, applicant overrides) for an application of `item`, or ValidationError with
    each field's message. Items without a bound form give ({}, {}). A proxy application keeps the
    principal's applicant data, so nothing is written back then."""
    bound = bound_form(item)
    if bound is None:
        return {}, {}
    form, version = bound
    answers = form_submission_validate(version.schema, data)
    overrides = {}
    if not proxy:
        for mapping in _mappings(form, user):
            for pair in mapping.pairs:
                attribute = MAPPING_ATTRIBUTES.get(pair["attribute"])
                value = answers.get(pair["field"])
                if attribute and attribute.applicant_field and isinstance(value, str) and value:
                    overrides[attribute.applicant_field] = value
    entry = {FORM_DATA_KEY: {"code": form.code, "name": form.name, "version": version.number, "answers": answers}}
    return entry, overrides


def mappable_version(form: Form) -> FormVersion | None:
    """The version whose fields a mapping pairs: the newest published one, else the newest draft. Reads
    `form.versions.all()` (newest first by the model's ordering), so a prefetch of the versions serves it."""
    versions = list(form.versions.all())
    return next((v for v in versions if v.published_at), versions[0] if versions else None)


def _clean_mapping(*, name, form, target, pairs) -> tuple[str, list]:
    name = (name or "").strip()
    errors = {}
    if not name or len(name) > 100:
        errors["name"] = [_("请填写不超过100字的映射名称。")]
    if target not in MappingTarget.values:
        errors["target"] = [_("目标基本信息类型无效。")]
    version = mappable_version(form)
    keys = {f["key"] for f in schema_fields(version.schema)} if version else set()
    cleaned, problems, seen = [], [], set()
    for pair in pairs:
        field, attribute = str(pair.get("field", "")).strip(), str(pair.get("attribute", "")).strip()
        if not field and not attribute:
            continue
        if field not in keys:
            problems.append(_("表单“%(f)s”没有字段“%(k)s”。") % {"f": form.name, "k": field})
        elif attribute not in MAPPING_ATTRIBUTES or target not in MAPPING_ATTRIBUTES[attribute].targets:
            problems.append(_("“%(a)s”不是所选基本信息类型的属性。") % {"a": attribute})
        elif field in seen:
            problems.append(_("字段“%(k)s”映射了两次。") % {"k": field})
        else:
            seen.add(field)
            cleaned.append({"field": field, "attribute": attribute})
    if not cleaned and not problems:
        problems.append(_("请至少填写一组字段对应。"))
    if problems:
        errors["pairs"] = problems
    if errors:
        raise ValidationError(errors)
    return name, cleaned


@transaction.atomic
def form_mapping_save(*, name: str, form: Form, target: str, pairs, actor, mapping: FormMapping | None = None,
                      organisation: Organisation | None = None) -> FormMapping:
    """Create or edit a mapping; pairs name fields of the form and attributes of the fixed whitelist."""
    action = "change" if mapping else "add"
    if actor is None or not actor.is_authenticated or not actor.has_perm(f"acceptance.{action}_formmapping"):
        raise PermissionDenied(_("您没有维护表单映射的权限。"))
    if not can_see(actor, form) or (mapping is not None and not can_see(actor, mapping)):
        raise PermissionDenied(_("该表单不在您的管理范围内。"))
    organisation = organisation or form.organisation
    if not restrict(Organisation.objects.filter(pk=organisation.pk), actor).exists():
        raise PermissionDenied(_("所选单位不在您的管理范围内。"))
    name, cleaned = _clean_mapping(name=name, form=form, target=target, pairs=pairs)
    is_new = mapping is None
    mapping = mapping or FormMapping(created_by=actor)
    mapping.name, mapping.form, mapping.target, mapping.pairs = name, form, target, cleaned
    mapping.organisation = organisation
    mapping.save()
    audit_record(actor=actor, action="create" if is_new else "update", obj=mapping)
    return mapping


@transaction.atomic
def form_mapping_delete(*, mapping: FormMapping, actor) -> None:
    if not actor.has_perm("acceptance.delete_formmapping") or not can_see(actor, mapping):
        raise PermissionDenied(_("您没有删除该映射的权限。"))
    audit_record(actor=actor, action="delete", obj=mapping)
    mapping.delete()
