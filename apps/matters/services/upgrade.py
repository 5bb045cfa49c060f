"""Upgrades of the original item library (MAT-7.1, 7.2, 7.9, 7.10, 7.11)."""
from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.models import RegionLevel
from apps.matters.models import (
    AddressError, AddressErrorCategory, CatalogueItem, FeaturedTheme, ImplementationItem, IntermediaryService,
    MatterStatus, MatterType, TemporaryItem,
)
from apps.matters.services.kernel import require_in_scope, require_permission

# Labels under which temporary entries usually carry each standard element (MAT-7.2).
ELEMENT_ALIASES = {
    "name": ("事项名称", "名称"),
    "legal_basis": ("设定依据", "法律依据", "依据"),
    "handling_location": ("办理地点", "地址", "受理地点"),
    "handling_hours": ("办理时间", "受理时间"),
    "consultation_phone": ("咨询电话", "咨询方式"),
    "supervision_phone": ("监督电话", "投诉电话", "监督投诉方式"),
    "statutory_limit_working_days": ("法定办结时限", "法定时限", "法定期限"),
    "committed_limit_working_days": ("承诺办结时限", "承诺时限", "承诺期限"),
    "acceptance_conditions": ("受理条件", "申请条件", "办理条件"),
    "online_handling_url": ("网上办理地址", "网办地址", "在线办理"),
}
# Each item type's own element standard: the elements extracted for it (MAT-7.2). Public services
# have no statutory limit or legal basis requirement in the temporary form; power items do.
_POWER = tuple(ELEMENT_ALIASES)
TYPE_ELEMENTS = {value: _POWER for value in MatterType.values}
TYPE_ELEMENTS[MatterType.PUBLIC_SERVICE] = tuple(k for k in _POWER if k not in ("statutory_limit_working_days",
                                                                                "legal_basis"))
_DAYS = re.compile(r"(\d+)")


def temporary_item_save(*, actor, title: str, fields: dict, matter_type: str = "") -> TemporaryItem:
    """临时填报 (MAT-7.1): any labelled content, no standard checks; only a title is required."""
    require_permission(actor, "matters.add_temporaryitem")
    department = getattr(actor, "organisation", None)
    if department is None:
        raise PermissionDenied(_("请使用部门账号填报。"))
    if not title.strip():
        raise ValidationError({"title": _("请填写事项名称。")})
    if matter_type and matter_type not in MatterType.values:
        raise ValidationError({"matter_type": _("事项类型无效。")})
    clean = {str(k).strip(): str(v).strip() for k, v in (fields or {}).items() if str(k).strip()}
    return TemporaryItem.objects.create(title=title.strip(), matter_type=matter_type, fields=clean,
                                        department=department, region_id=department.region_id, created_by=actor)


def temporary_extract(temporary: TemporaryItem, matter_type: str) -> tuple[dict, list[str]]:
    """Extract the standard elements of `matter_type` from a temporary item: (values, elements not found)."""
    if matter_type not in MatterType.values:
        raise ValidationError({"matter_type": _("请选择标准事项类型。")})
    values, missing = {"name": temporary.title, "matter_type": matter_type}, []
    for element in TYPE_ELEMENTS[matter_type]:
        if element == "name":
            continue
        raw = next((temporary.fields[label] for label in ELEMENT_ALIASES[element] if temporary.fields.get(label)), "")
        if element.endswith("_working_days"):
            match = _DAYS.search(raw)
            raw = int(match.group(1)) if match else None
        if raw in ("", None):
            missing.append(element)
        else:
            values[element] = raw
    return values, missing


def temporary_reuse(*, actor, temporary: TemporaryItem, matter_type: str) -> CatalogueItem:
    """临时数据复用 (MAT-7.2): a standard draft declaration pre-filled from the temporary item."""
    from apps.matters.services.declaration import catalogue_item_declare

    require_in_scope(actor, temporary)
    if temporary.reused_as_id:
        raise ValidationError(_("该临时事项已复用为标准事项“%(n)s”。") % {"n": temporary.reused_as.name})
    values, _missing = temporary_extract(temporary, matter_type)
    with transaction.atomic():
        item = catalogue_item_declare(actor=actor, department=temporary.department, data=values, children={},
                                      submit=False)
        TemporaryItem.objects.filter(pk=temporary.pk).update(reused_as=item)
    temporary.reused_as = item
    return item


def address_errors_receive(*, rows: list[dict]) -> dict:
    """Take the intermediate DB's address-error rows (MAT-7.9): {source_id, implementation_code, category,
    detail, pc_url, mobile_url, online_url}. Rows already held are left as they are; rows naming an
    unknown item or category are reported, not stored."""
    codes = {r.get("implementation_code") for r in rows}
    items = {i.implementation_code: i for i in ImplementationItem.objects.filter(implementation_code__in=codes)}
    held = set(AddressError.objects.filter(source_id__in=[r.get("source_id") for r in rows])
               .values_list("source_id", flat=True))
    created, errors = [], []
    for row in rows:
        item = items.get(row.get("implementation_code"))
        if item is None or row.get("category") not in AddressErrorCategory.values or not row.get("source_id"):
            errors.append(row.get("source_id") or "?")
            continue
        if row["source_id"] in held:
            continue
        created.append(AddressError(implementation_item=item, category=row["category"], detail=row.get("detail", ""),
                                    pc_url=row.get("pc_url", ""), mobile_url=row.get("mobile_url", ""),
                                    online_url=row.get("online_url", ""), source_id=row["source_id"],
                                    department_id=item.implementing_body_id, region_id=item.region_id))
    AddressError.objects.bulk_create(created)
    return {"created": len(created), "errors": errors}


def address_error_correct(*, actor, error: AddressError, pc_url: str, mobile_url: str, online_url: str) -> None:
    """Correct the addresses directly (MAT-7.9): the item's online-handling address changes as a new
    version that is reported upward (never overwrites)."""
    from apps.matters.services.declaration import publish_version

    require_permission(actor, "matters.change_addresserror")
    require_in_scope(actor, error)
    validate = URLValidator(schemes=["http", "https"])
    problems = {}
    for name, value in (("pc_url", pc_url), ("mobile_url", mobile_url), ("online_url", online_url)):
        try:
            validate(value)
        except ValidationError:
            problems[name] = _("请填写正确的 http(s) 地址。")
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        locked = AddressError.objects.select_for_update().get(pk=error.pk)
        locked.pc_url, locked.mobile_url, locked.online_url = pc_url, mobile_url, online_url
        locked.corrected_at, locked.corrected_by = timezone.now(), actor
        locked.save()
        item = ImplementationItem.objects.select_for_update().get(pk=error.implementation_item_id)
        if item.online_handling_url != online_url:
            item.online_handling_url = online_url
            if item.status == MatterStatus.PUBLISHED:
                item.version += 1
            item.save()
            if item.status == MatterStatus.PUBLISHED:
                publish_version(item=item, actor=actor, summary=_("纠正网办地址"))
    error.refresh_from_db()


def intermediary_service_add(*, actor, item: ImplementationItem, name: str, legal_basis: str,
                             provider_requirements: str = "", time_limit_working_days: int | None = None,
                             is_charged: bool = False, fee_basis: str = "") -> IntermediaryService:
    """Maintain an intermediary service of an item that says it has some (MAT-7.10)."""
    require_permission(actor, "matters.change_implementationitem")
    require_in_scope(actor, item)
    if not item.has_intermediary_service:
        raise ValidationError(_("该事项“是否有中介服务事项”为否，不能维护中介服务。"))
    service = IntermediaryService(implementation_item=item, name=name.strip(), legal_basis=legal_basis.strip(),
                                  provider_requirements=provider_requirements,
                                  time_limit_working_days=time_limit_working_days, is_charged=is_charged,
                                  fee_basis=fee_basis)
    service.full_clean()
    if is_charged and not fee_basis.strip():
        raise ValidationError({"fee_basis": _("收费的中介服务须填写收费依据。")})
    service.save()
    return service


def featured_theme_save(*, actor, name: str, parent: FeaturedTheme | None = None) -> FeaturedTheme:
    """Theme classification data: main classes and sub-classes (MAT-7.11)."""
    require_permission(actor, "matters.add_featuredtheme")
    if parent is not None and parent.parent_id:
        raise ValidationError({"parent": _("主题只有大类和小类两级。")})
    theme = FeaturedTheme(name=name.strip(), parent=parent)
    theme.full_clean()
    theme.save()
    return theme


def featured_theme_link(*, actor, item: CatalogueItem, themes: list[FeaturedTheme]) -> None:
    """A provincial department links its sorted items to featured sub-classes (MAT-7.11)."""
    require_permission(actor, "matters.change_catalogueitem")
    require_in_scope(actor, item)
    organisation = getattr(actor, "organisation", None)
    if organisation is None or organisation.region.level != RegionLevel.PROVINCE:
        raise PermissionDenied(_("特色主题由省级部门关联。"))
    if not themes or any(theme.parent_id is None for theme in themes):
        raise ValidationError({"themes": _("请选择主题小类。")})
    item.featured_themes.set(themes)
