"""Writes of flagship stores (STORE-1.x, 4.6, 5.1): templates per level, opening a store on the template its
level and region call for, back-office content maintenance and service entries. Decision 0801.

* A provincial-department template belongs to one department (at most DEPARTMENT_TEMPLATE_LIMIT); a city,
  county or township template to one city (one of each per city; the database refuses a second).
* A store never chooses its template: a department store takes its department's, a city store its city's
  city template, a county or township store the county or township template of the city above it.
* A service entry can be published only with both phones, the handling conditions and the notes (4.6).
"""
from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.core.audit import AuditAction, audit_record
from apps.core.models import Organisation, Region, RegionLevel
from apps.core.models.regions import parent_code_of
from apps.stores.models import (
    DEFAULT_SECTIONS, DEPARTMENT_TEMPLATE_LIMIT, AuthMethod, FlagshipStore, ServiceKind, StoreLevel, StoreSection,
    StoreService, StoreTemplate,
)
from apps.stores.services.kernel import require_in_scope, require_staff_permission, value_of

STORE_PERMISSION = "stores.manage_flagshipstore"
CONTENT_PERMISSION = "stores.maintain_store_content"
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_REGION_LEVEL = {StoreLevel.CITY: RegionLevel.CITY, StoreLevel.COUNTY: RegionLevel.COUNTY,
                 StoreLevel.TOWNSHIP: RegionLevel.TOWNSHIP}


def _clean_template(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    colour = (data.get("theme_colour") or "#b71c1c").strip()
    if not _COLOUR.match(colour):
        errors["theme_colour"] = [_("主题色须为 #RRGGBB 形式。")]
    sections = list(data.get("sections") or DEFAULT_SECTIONS)
    unknown = [s for s in sections if s not in StoreSection.values]
    if unknown:
        errors["sections"] = [_("未知的页面版块：%(s)s。") % {"s": "、".join(map(str, unknown))}]
    if errors:
        raise ValidationError(errors)
    return {"theme_colour": colour, "sections": [str(s) for s in sections]}


def store_template_create(*, actor, level: str, organisation: Organisation | None = None,
                          city: Region | None = None, name: str = "", data: dict | None = None,
                          request=None) -> StoreTemplate:
    """STORE-1.1–1.4: one template set per department (≤ 40) or per city and level."""
    require_staff_permission(actor, STORE_PERMISSION, _("您没有管理旗舰店的权限。"))
    cleaned = _clean_template(data or {})
    if level not in StoreLevel.values:
        raise ValidationError({"level": _("请选择旗舰店层级。")})
    if level == StoreLevel.PROVINCIAL_DEPARTMENT:
        if organisation is None or organisation.region.level != RegionLevel.PROVINCE:
            raise ValidationError({"organisation": _("省直部门模板须属于一个省级部门。")})
        city = None
    else:
        if city is None or city.level != RegionLevel.CITY:
            raise ValidationError({"city": _("市地、区县、街道模板须属于一个市（地）。")})
        organisation = None
    name = (name or "").strip() or f"{(organisation.name if organisation else city.name)}" \
                                   f"{StoreLevel(level).label}旗舰店模板"
    try:
        with transaction.atomic():
            if level == StoreLevel.PROVINCIAL_DEPARTMENT:
                taken = list(StoreTemplate.objects.select_for_update()
                             .filter(level=StoreLevel.PROVINCIAL_DEPARTMENT).values_list("pk", flat=True))
                if len(taken) >= DEPARTMENT_TEMPLATE_LIMIT:
                    raise ValidationError({"organisation": _("省直部门模板最多 %(n)s 套，已达上限。")
                                           % {"n": DEPARTMENT_TEMPLATE_LIMIT}})
            template = StoreTemplate.objects.create(level=level, organisation=organisation, city=city, name=name,
                                                    **cleaned)
            audit_record(actor=actor, action=AuditAction.CREATE, obj=template, request=request,
                         detail=_("新增旗舰店页面模板“%(n)s”") % {"n": name})
    except IntegrityError:
        raise ValidationError({"level": _("该部门或市地的此层级模板已存在（每个部门、每个市地每个层级一套）。")}) from None
    return template


def template_for(*, level: str, organisation: Organisation, region: Region) -> StoreTemplate:
    """The template a store of this level, department and region renders with."""
    if level == StoreLevel.PROVINCIAL_DEPARTMENT:
        found = StoreTemplate.objects.filter(level=level, organisation=organisation).first()
        missing = _("部门“%(o)s”尚无省直部门旗舰店模板。") % {"o": organisation.name}
    else:
        city_code = region.code
        while Region.objects.filter(code=city_code).values_list("level", flat=True).first() != RegionLevel.CITY:
            city_code = parent_code_of(city_code)
            if city_code is None:
                raise ValidationError({"region": _("区划不在任何市（地）之下。")})
        found = StoreTemplate.objects.filter(level=level, city_id=city_code).first()
        missing = _("所在市（地）尚无%(l)s旗舰店模板。") % {"l": StoreLevel(level).label}
    if found is None:
        raise ValidationError({"template": missing})
    return found


def store_open(*, actor, level: str, organisation: Organisation, region: Region, slug: str, name: str,
               data: dict | None = None, request=None) -> FlagshipStore:
    """Workflow 1: choose the level; the template follows from it; the store starts unpublished."""
    require_staff_permission(actor, STORE_PERMISSION, _("您没有管理旗舰店的权限。"))
    require_in_scope(actor, organisation, _("只能为本单位及下级单位开设旗舰店。"))
    errors: dict[str, list[str]] = {}
    if level not in StoreLevel.values:
        errors["level"] = [_("请选择旗舰店层级。")]
    elif level == StoreLevel.PROVINCIAL_DEPARTMENT and region.level != RegionLevel.PROVINCE:
        errors["region"] = [_("省直部门旗舰店的区划须为全省。")]
    elif level != StoreLevel.PROVINCIAL_DEPARTMENT and region.level != _REGION_LEVEL[level]:
        errors["region"] = [_("%(l)s旗舰店须选择%(r)s级区划。") % {"l": StoreLevel(level).label,
                                                              "r": RegionLevel(_REGION_LEVEL[level]).label}]
    if not re.fullmatch(r"[a-z0-9-]{2,40}", slug or ""):
        errors["slug"] = [_("访问标识为 2–40 位小写字母、数字或连字符。")]
    elif FlagshipStore.objects.filter(slug=slug).exists():
        errors["slug"] = [_("访问标识已被使用。")]
    if not (name or "").strip():
        errors["name"] = [_("请填写旗舰店名称。")]
    if errors:
        raise ValidationError(errors)
    template = template_for(level=level, organisation=organisation, region=region)
    data = data or {}
    with transaction.atomic():
        store = FlagshipStore.objects.create(
            level=level, organisation=organisation, region=region, slug=slug, name=name.strip(), template=template,
            title=(data.get("title") or name).strip(), description=data.get("description", ""),
            banner_image=data.get("banner_image", ""), icon=data.get("icon", ""),
            contact_phone=data.get("contact_phone", ""), order=int(data.get("order") or 0))
        audit_record(actor=actor, action=AuditAction.CREATE, obj=store, request=request,
                     detail=_("开设旗舰店“%(n)s”（模板：%(t)s）") % {"n": store.name, "t": template.name})
    return store


def store_publish(*, actor, store: FlagshipStore, publish: bool = True, request=None) -> FlagshipStore:
    require_staff_permission(actor, STORE_PERMISSION, _("您没有管理旗舰店的权限。"))
    require_in_scope(actor, store, _("只能管理本单位及下级单位的旗舰店。"))
    with transaction.atomic():
        FlagshipStore.objects.filter(pk=store.pk).update(is_published=publish)
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=store, request=request,
                     changes={"is_published": [store.is_published, publish]},
                     detail=_("发布旗舰店") if publish else _("下线旗舰店"))
    store.is_published = publish
    return store


STORE_CONTENT_FIELDS = ("title", "description", "banner_image", "icon", "contact_phone")


def _clean_path(value: str, field: str, errors: dict) -> str:
    value = (value or "").strip()
    if value and not (value.startswith("/") or value.startswith("https://") or value.startswith("http://")):
        errors[field] = [_("请填写以 / 开头的站内路径或 http(s):// 地址。")]
    if "<" in value or '"' in value or " " in value:
        errors[field] = [_("路径中不能含有空格、引号或尖括号。")]
    return value


def store_content_update(*, actor, store: FlagshipStore, data: dict, request=None) -> FlagshipStore:
    """STORE-5.1: the store's image path, icon, title and description."""
    require_staff_permission(actor, CONTENT_PERMISSION, _("您没有维护旗舰店内容的权限。"))
    require_in_scope(actor, store, _("只能维护本单位及下级单位的旗舰店。"))
    errors: dict[str, list[str]] = {}
    values = {k: (data.get(k) or "").strip() for k in STORE_CONTENT_FIELDS}
    values["banner_image"] = _clean_path(values["banner_image"], "banner_image", errors)
    if not values["title"]:
        errors["title"] = [_("请填写标题。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = FlagshipStore.objects.select_for_update().get(pk=store.pk)
        changes = {k: [getattr(current, k), v] for k, v in values.items() if getattr(current, k) != v}
        for key, value in values.items():
            setattr(current, key, value)
        current.save(update_fields=[*values, "updated_at"])
        if changes:
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=current, request=request, changes=changes,
                         detail=_("维护旗舰店内容"))
    return current


SERVICE_FIELDS = ("title", "kind", "description", "icon", "image_path", "handling_url", "matter_code", "client_system_code",
                  "min_real_name_level", "auth_methods", "is_high_frequency", "enquiry_phone", "support_phone",
                  "conditions", "notes", "order", "is_published")
REQUIRED_TO_PUBLISH = {"enquiry_phone": _("业务咨询电话"), "support_phone": _("技术咨询电话"),
                       "conditions": _("办理条件"), "notes": _("注意事项")}
_PHONE = re.compile(r"^[0-9+\-()（） ]{5,40}$")


def _clean_service(data: dict) -> dict:
    from apps.stores.services.zones import published_matter_by_code

    errors: dict[str, list[str]] = {}
    values = {k: data.get(k) for k in SERVICE_FIELDS if k in data}
    for key in ("title", "description", "icon", "image_path", "handling_url", "matter_code", "client_system_code",
                "enquiry_phone", "support_phone", "conditions", "notes"):
        values[key] = str(values.get(key) or "").strip()
    values["image_path"] = _clean_path(values["image_path"], "image_path", errors)
    values["kind"] = values.get("kind") or ServiceKind.MATTER
    if values["kind"] not in ServiceKind.values:
        errors["kind"] = [_("请选择服务类别。")]
    if not values["title"]:
        errors["title"] = [_("请填写服务名称。")]
    if values["handling_url"] and not values["handling_url"].startswith(("https://", "http://")):
        errors["handling_url"] = [_("在线办理链接须以 http:// 或 https:// 开头。")]
    for key in ("enquiry_phone", "support_phone"):
        if values[key] and not _PHONE.match(values[key]):
            errors[key] = [_("电话号码格式不正确。")]
    methods = [str(m) for m in (values.get("auth_methods") or [])]
    if any(m not in AuthMethod.values for m in methods):
        errors["auth_methods"] = [_("未知的增强认证方式。")]
    values["auth_methods"] = methods
    values["min_real_name_level"] = int(values.get("min_real_name_level") or 0)
    values["order"] = int(values.get("order") or 0)
    values["is_high_frequency"] = bool(values.get("is_high_frequency"))
    values["is_published"] = bool(values.get("is_published"))
    item = None
    if values["matter_code"]:
        values["matter_code"] = values["matter_code"].upper()
        item = published_matter_by_code(values["matter_code"])
        if item is None:
            errors["matter_code"] = [_("事项库中没有已发布的该编码事项。")]
    values["implementation_item"] = item
    if values["is_published"]:
        missing = [str(label) for key, label in REQUIRED_TO_PUBLISH.items() if not values[key]]
        if missing:
            errors.setdefault("is_published", []).append(
                _("发布前须填写：%(f)s（服务事项页面必须展示）。") % {"f": "、".join(missing)})
            for key in REQUIRED_TO_PUBLISH:
                if not values[key]:
                    errors.setdefault(key, [_("发布服务事项时必填。")])
    if errors:
        raise ValidationError(errors)
    return values


def store_service_save(*, actor, store: FlagshipStore, data: dict, service: StoreService | None = None,
                       request=None) -> StoreService:
    """STORE-5.1 / 4.4 / 4.6: add or change a service entry; publishing without phones, conditions and
    notes is refused and writes nothing."""
    require_staff_permission(actor, CONTENT_PERMISSION, _("您没有维护旗舰店内容的权限。"))
    require_in_scope(actor, store, _("只能维护本单位及下级单位的旗舰店。"))
    if service is not None and service.store_id != store.pk:
        raise ValidationError(_("服务事项不属于该旗舰店。"))
    values = _clean_service(data)
    with transaction.atomic():
        if service is None:
            service = StoreService.objects.create(store=store, **values)
            audit_record(actor=actor, action=AuditAction.CREATE, obj=service, request=request,
                         detail=_("新增服务事项“%(t)s”") % {"t": service.title})
            return service
        current = StoreService.objects.select_for_update().get(pk=service.pk)
        changes = {k: [value_of(getattr(current, k)), value_of(v)] for k, v in values.items()
                   if value_of(getattr(current, k)) != value_of(v)}
        for key, value in values.items():
            setattr(current, key, value)
        current.save()
        if changes:
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=current, request=request, changes=changes,
                         detail=_("修改服务事项“%(t)s”") % {"t": current.title})
    return current


def store_own_interface_set(*, actor, store: FlagshipStore, url: str, client_code: str, request=None) -> FlagshipStore:
    """STORE-4.2: a department's own store interface is accepted only if it meets the provincial connection
    standard as far as this platform can check it: HTTPS, and registered in the provincial unified identity
    as an enabled client system whose service address covers the interface (so users arrive with a ticket).
    Empty url and code remove it."""
    from apps.identity.models import ClientSystem

    require_staff_permission(actor, CONTENT_PERMISSION, _("您没有维护旗舰店内容的权限。"))
    require_in_scope(actor, store, _("只能维护本单位及下级单位的旗舰店。"))
    url, client_code = (url or "").strip(), (client_code or "").strip()
    if url or client_code:
        errors: dict[str, list[str]] = {}
        if not url.startswith("https://"):
            errors["url"] = [_("自建界面须使用 https:// 地址。")]
        client = ClientSystem.objects.filter(code=client_code, is_enabled=True).first() if client_code else None
        if client is None:
            errors["client_code"] = [_("自建界面须先在省统一身份认证登记为对接应用（按省对接标准）。")]
        elif "url" not in errors and not client.accepts_service(url):
            errors["url"] = [_("自建界面地址不在该对接应用登记的服务地址之下。")]
        if errors:
            raise ValidationError(errors)
    with transaction.atomic():
        before = [store.own_interface_url, store.own_interface_client]
        FlagshipStore.objects.filter(pk=store.pk).update(own_interface_url=url, own_interface_client=client_code)
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=store, request=request,
                     changes={"own_interface": [before, [url, client_code]]}, detail=_("设置部门自建服务界面"))
    store.own_interface_url, store.own_interface_client = url, client_code
    return store
