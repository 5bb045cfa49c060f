"""Licence management (LIC-1.1, 1.3, 1.4, 1.5): basic-info filings with their review lock, categories,
templates with face parameters and valid/invalid state, and issuer–template–item mappings."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from ..models import (
    FaceParameter, FaceParameterKind, FilingStatus, HolderKind, Licence, LicenceCategory, LicenceFiling,
    LicenceTemplate, SealingMethod, SealSource, TemplateMapping,
)
from .kernel import audit_record, record_transition, require_in_scope, require_permission

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_AIP_BYTES = 20 * 1024 * 1024
EDITABLE_FILING = (FilingStatus.DRAFT, FilingStatus.REJECTED)


def _check_image(data: bytes, field: str) -> None:
    if not data or len(data) > MAX_IMAGE_BYTES:
        raise ValidationError({field: _("请上传不超过 5MB 的 PNG 或 JPEG 图片。")})
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in ("PNG", "JPEG"):
                raise ValidationError({field: _("图片必须是 PNG 或 JPEG 格式。")})
    except UnidentifiedImageError as exc:
        raise ValidationError({field: _("文件无法识别为图片。")}) from exc


# --- basic-info filing (LIC-1.1) -------------------------------------------------------------------

FILING_FIELDS = ("name", "licence_type", "item_name", "sealing_method", "seal_source")


def _clean_filing(data: dict) -> dict:
    cleaned = {f: str(data.get(f) or "").strip() for f in FILING_FIELDS}
    errors = {f: _("此项为必填项。") for f, v in cleaned.items() if not v}
    if cleaned["sealing_method"] and cleaned["sealing_method"] not in SealingMethod.values:
        errors["sealing_method"] = _("请选择有效的盖章方式。")
    if cleaned["seal_source"] and cleaned["seal_source"] not in SealSource.values:
        errors["seal_source"] = _("请选择有效的印章来源。")
    if errors:
        raise ValidationError(errors)
    return cleaned


def filing_save(*, actor, data: dict, department=None, filing: LicenceFiling | None = None,
                base_image: bytes | None = None, base_image_name: str = "") -> LicenceFiling:
    """Create a filing (department = the actor's organisation unless given) or modify a draft one."""
    cleaned = _clean_filing(data)
    if base_image is not None:
        _check_image(base_image, "base_image")
    with transaction.atomic():
        if filing is None:
            require_permission(actor, "licences.add_licencefiling")
            department = department or actor.organisation
            require_in_scope(actor, department)
            filing = LicenceFiling(department=department, created_by=actor, **cleaned)
            before = {}
        else:
            require_permission(actor, "licences.change_licencefiling")
            filing = LicenceFiling.objects.select_for_update().get(pk=filing.pk)
            require_in_scope(actor, filing)
            if filing.status not in EDITABLE_FILING:
                raise ValidationError(_("证照基础信息已提交审核或已审核，不能修改。"))
            before = {f: getattr(filing, f) for f in FILING_FIELDS}
            for field, value in cleaned.items():
                setattr(filing, field, value)
        if base_image is not None:
            filing.base_image, filing.base_image_name = base_image, (base_image_name or "base.png")[:128]
        filing.save()
        audit_record(actor=actor, action="update" if before else "create", obj=filing,
                     changes={f: [before.get(f), v] for f, v in cleaned.items() if before.get(f) != v})
    return filing


@transaction.atomic
def filing_delete(*, actor, filing: LicenceFiling) -> None:
    require_permission(actor, "licences.delete_licencefiling")
    filing = LicenceFiling.objects.select_for_update().get(pk=filing.pk)
    require_in_scope(actor, filing)
    if filing.status not in EDITABLE_FILING:
        raise ValidationError(_("证照基础信息已提交审核或已审核，不能删除。"))
    audit_record(actor=actor, action="delete", obj=filing, changes={"name": [filing.name, None]})
    filing.delete()


def _filing_move(filing, *, actor, to, allowed, action, comment=""):
    if filing.status not in allowed:
        raise ValidationError(_("当前状态为“%(s)s”，不能执行此操作。") % {"s": filing.get_status_display()})
    before, filing.status = filing.status, to
    filing.review_comment = comment.strip()[:255]
    filing.save(update_fields=["status", "review_comment"])
    record_transition(obj=filing, from_state=before, to_state=to, actor=actor, action=action, comment=comment)
    audit_record(actor=actor, action="update", obj=filing, changes={"status": [before, to]}, detail=action)
    return filing


@transaction.atomic
def filing_submit(*, actor, filing: LicenceFiling) -> LicenceFiling:
    require_permission(actor, "licences.change_licencefiling")
    filing = LicenceFiling.objects.select_for_update().get(pk=filing.pk)
    require_in_scope(actor, filing)
    return _filing_move(filing, actor=actor, to=FilingStatus.SUBMITTED, allowed=EDITABLE_FILING, action="submit")


@transaction.atomic
def filing_review(*, actor, filing: LicenceFiling, approve: bool, comment: str = "") -> LicenceFiling:
    """Approve (locked for good) or return with a reason (editable again)."""
    require_permission(actor, "licences.review_licencefiling")
    filing = LicenceFiling.objects.select_for_update().get(pk=filing.pk)
    require_in_scope(actor, filing)
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("退回时请填写原因。")})
    return _filing_move(filing, actor=actor, to=FilingStatus.REVIEWED if approve else FilingStatus.REJECTED,
                        allowed=(FilingStatus.SUBMITTED,), action="approve" if approve else "reject",
                        comment=comment)


# --- categories (LIC-1.3) --------------------------------------------------------------------------

@transaction.atomic
def category_save(*, actor, name: str, category_type: str, category: LicenceCategory | None = None):
    require_permission(actor, "licences.change_licencecategory" if category else "licences.add_licencecategory")
    name, category_type = (name or "").strip(), (category_type or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("请填写分类名称。")
    if not category_type:
        errors["category_type"] = _("请填写分类类型。")
    if name and LicenceCategory.objects.filter(name=name).exclude(pk=getattr(category, "pk", None)).exists():
        errors["name"] = _("分类名称已存在。")
    if errors:
        raise ValidationError(errors)
    before = {"name": category.name, "category_type": category.category_type} if category else {}
    category = category or LicenceCategory()
    category.name, category.category_type = name, category_type
    category.save()
    audit_record(actor=actor, action="update" if before else "create", obj=category,
                 changes={"name": [before.get("name"), name], "category_type": [before.get("category_type"),
                                                                               category_type]})
    return category


@transaction.atomic
def category_delete(*, actor, category: LicenceCategory) -> None:
    require_permission(actor, "licences.delete_licencecategory")
    if category.templates.exists():
        raise ValidationError(_("该分类已被证照模板使用，不能删除。"))
    audit_record(actor=actor, action="delete", obj=category, changes={"name": [category.name, None]})
    category.delete()


# --- templates and face parameters (LIC-1.4) ---------------------------------------------------------

TEMPLATE_FIELDS = ("name", "licence_type", "type_code", "template_category", "subject", "holder_kind")


def template_save(*, actor, data: dict, template: LicenceTemplate | None = None, organisation=None,
                  aip: bytes | None = None, aip_name: str = "") -> LicenceTemplate:
    """Create or modify a template; the theme category must be one defined in LIC-1.3."""
    require_permission(actor, "licences.change_licencetemplate" if template else "licences.add_licencetemplate")
    cleaned = {f: str(data.get(f) or "").strip() for f in TEMPLATE_FIELDS}
    errors = {f: _("此项为必填项。") for f in ("name", "licence_type", "type_code", "holder_kind") if not cleaned[f]}
    if cleaned["holder_kind"] and cleaned["holder_kind"] not in HolderKind.values:
        errors["holder_kind"] = _("请选择有效的持证主体类型。")
    if cleaned["type_code"] and len(cleaned["type_code"]) != 21:
        errors["type_code"] = _("证照类型代码应为 21 位（统一社会信用代码 18 位 + 3 位序号）。")
    category = LicenceCategory.objects.filter(pk=data.get("category") or 0).first()
    if category is None:
        errors["category"] = _("主题分类必须从证照分类规则中选择。")
    try:
        years = int(data.get("validity_years") or 0)
        if not 0 <= years <= 100:
            raise ValueError
    except (TypeError, ValueError):
        errors["validity_years"] = _("有效期应为 0–100 年（0 为长期）。")
        years = 0
    if aip is not None and (not aip or len(aip) > MAX_AIP_BYTES or not aip_name.lower().endswith(".aip")):
        errors["aip_file"] = _("请上传不超过 20MB 的 AIP 格式模板文件（.aip）。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if template is None:
            organisation = organisation or actor.organisation
            require_in_scope(actor, organisation)
            template = LicenceTemplate(defining_organisation=organisation)
        else:
            template = LicenceTemplate.objects.select_for_update().get(pk=template.pk)
            require_in_scope(actor, template)
        before = {f: getattr(template, f) for f in TEMPLATE_FIELDS} if template.pk else {}
        for field, value in cleaned.items():
            setattr(template, field, value)
        template.category, template.validity_years = category, years
        if aip is not None:
            template.aip_file, template.aip_name = aip, aip_name[:128]
        template.save()
        audit_record(actor=actor, action="update" if before else "create", obj=template,
                     changes={f: [before.get(f), v] for f, v in cleaned.items() if before.get(f) != v})
    return template


@transaction.atomic
def template_set_valid(*, actor, template: LicenceTemplate, valid: bool) -> LicenceTemplate:
    """Set a template valid or invalid; invalid templates are refused at licence entry."""
    require_permission(actor, "licences.change_licencetemplate")
    template = LicenceTemplate.objects.select_for_update().get(pk=template.pk)
    require_in_scope(actor, template)
    before, template.is_valid = template.is_valid, valid
    template.save(update_fields=["is_valid"])
    audit_record(actor=actor, action="update", obj=template, changes={"is_valid": [before, valid]})
    return template


PARAM_NUMBERS = ("x", "y", "width", "height", "font_size")


def face_parameter_save(*, actor, template: LicenceTemplate, data: dict,
                        parameter: FaceParameter | None = None) -> FaceParameter:
    """Add or modify a face parameter: text, or image with its position and size (mm) on the page."""
    require_permission(actor, "licences.change_licencetemplate")
    require_in_scope(actor, template)
    errors, numbers = {}, {}
    key, label = str(data.get("key") or "").strip(), str(data.get("label") or "").strip()
    kind = data.get("kind") or FaceParameterKind.TEXT
    if not key or not key.replace("_", "").isalnum() or not key.isascii():
        errors["key"] = _("参数编码只能由字母、数字和下划线组成。")
    if not label:
        errors["label"] = _("请填写参数名称。")
    if kind not in FaceParameterKind.values:
        errors["kind"] = _("参数类型只能是文本或图片。")
    for field in PARAM_NUMBERS:
        try:
            numbers[field] = float(data.get(field, {"width": 100, "height": 8, "font_size": 4}.get(field, "")))
        except (TypeError, ValueError):
            errors[field] = _("请填写数字（毫米）。")
    if not errors:
        if min(numbers.values()) < 0 or numbers["width"] <= 0 or numbers["height"] <= 0:
            errors["width"] = _("位置不能为负数，宽和高必须大于 0。")
        elif (numbers["x"] + numbers["width"] > template.width_mm
              or numbers["y"] + numbers["height"] > template.height_mm):
            errors["x"] = _("参数区域超出了证照页面（%(w)s×%(h)s 毫米）。") % {"w": template.width_mm,
                                                                          "h": template.height_mm}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        parameter = parameter or FaceParameter(template=template)
        parameter.key, parameter.label, parameter.kind = key, label, kind
        for field, value in numbers.items():
            setattr(parameter, field, round(value, 2))
        parameter.required = bool(data.get("required", kind == FaceParameterKind.TEXT))
        parameter.order = int(data.get("order") or parameter.order or 0)
        try:
            with transaction.atomic():
                parameter.save()
        except IntegrityError as exc:
            raise ValidationError({"key": _("该模板已有同名参数编码。")}) from exc
        audit_record(actor=actor, action="update", obj=template, changes={f"parameter.{key}": [None, kind]})
    return parameter


@transaction.atomic
def face_parameter_delete(*, actor, parameter: FaceParameter) -> None:
    require_permission(actor, "licences.change_licencetemplate")
    require_in_scope(actor, parameter.template)
    audit_record(actor=actor, action="update", obj=parameter.template,
                 changes={f"parameter.{parameter.key}": [parameter.kind, None]})
    parameter.delete()


def template_blank_ofd(template: LicenceTemplate) -> bytes:
    """The blank template (空白模板, LIC-1.4 5): the face with parameter names and empty values."""
    from ..rendering import render_licence_ofd

    import datetime as dt

    blank = Licence(template=template, issuer=template.defining_organisation, name=template.name,
                    licence_code="—", licence_number="", holder_name="", valid_from=dt.date.today(),
                    face_data={})
    return render_licence_ofd(blank)


def entry_templates():
    """Templates offered at licence entry: valid ones only."""
    return LicenceTemplate.objects.filter(is_valid=True)


# --- issuer–template–item mapping (LIC-1.5) ----------------------------------------------------------

@transaction.atomic
def mapping_create(*, actor, template: LicenceTemplate, issuer, item_code: str, item_name: str) -> TemplateMapping:
    require_permission(actor, "licences.add_templatemapping")
    require_in_scope(actor, issuer)
    item_code, item_name = (item_code or "").strip(), (item_name or "").strip()
    if not item_code or not item_name:
        raise ValidationError({"item_code": _("请填写政务服务事项编码和名称。")})
    if TemplateMapping.objects.filter(template=template, issuer=issuer, item_code=item_code).exists():
        raise ValidationError(_("该模板、颁发机构和事项的映射已存在。"))
    mapping = TemplateMapping.objects.create(template=template, issuer=issuer, item_code=item_code,
                                             item_name=item_name)
    audit_record(actor=actor, action="create", obj=mapping, changes={"item_code": [None, item_code]})
    return mapping


@transaction.atomic
def mapping_delete(*, actor, mapping: TemplateMapping) -> None:
    require_permission(actor, "licences.delete_templatemapping")
    require_in_scope(actor, mapping)
    audit_record(actor=actor, action="delete", obj=mapping, changes={"item_code": [mapping.item_code, None]})
    mapping.delete()


def with_shareable(queryset):
    """Annotate licences with ``shareable``: their (template, issuer) has a mapping (LIC-1.5 2)."""
    mapped = TemplateMapping.objects.filter(template=OuterRef("template_id"), issuer=OuterRef("issuer_id"))
    return queryset.annotate(shareable=Exists(mapped))


def licence_shareable(licence: Licence) -> bool:
    return TemplateMapping.objects.filter(template_id=licence.template_id, issuer_id=licence.issuer_id).exists()


def require_shareable(licence: Licence) -> None:
    """Every sharing interface calls this: refuse licences without the management attribute."""
    if not licence_shareable(licence):
        raise ValidationError(_("该证照未配置颁发机构、模板与事项的映射（管理属性），不能共享。"))
