"""Writes to data-source codes (PORTAL-7.9): one code per city and per provincial department."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.models import DataSourceCode, Organisation, Region, RegionLevel
from apps.core.validators import validate_data_source_code


def _check_actor(actor, perm: str) -> None:
    if actor is not None and not actor.has_perm(perm):
        raise PermissionDenied(_("您没有维护数据来源代码的权限。"))


def _owner_errors(region: Region | None, organisation: Organisation | None, instance=None) -> dict:
    if (region is None) == (organisation is None):
        return {"region": [_("数据来源须且只能属于一个市（地）或一个省直部门。")]}
    if region is not None:
        if region.level != RegionLevel.CITY:
            return {"region": [_("“%(name)s”不是市（地）级区划。") % {"name": region.name}]}
        taken = DataSourceCode.objects.filter(region=region)
    else:
        if organisation.region.level != RegionLevel.PROVINCE:
            return {"organisation": [_("“%(name)s”不是省直部门。") % {"name": organisation.name}]}
        taken = DataSourceCode.objects.filter(organisation=organisation)
    if instance is not None:
        taken = taken.exclude(pk=instance.pk)
    if taken.exists():
        field = "region" if region is not None else "organisation"
        return {field: [_("“%(owner)s”已配置数据来源代码 %(code)s。") % {"owner": region or organisation,
                                                                   "code": taken.first().code}]}
    return {}


def _validate(*, code: str, name: str, region, organisation, instance=None) -> None:
    errors: dict[str, list[str]] = {}
    try:
        validate_data_source_code(code)
    except ValidationError as exc:
        errors["code"] = exc.messages
    else:
        duplicate = DataSourceCode.objects.filter(code=code)
        if instance is not None:
            duplicate = duplicate.exclude(pk=instance.pk)
        if duplicate.exists():
            errors["code"] = [_("数据来源代码 %(code)s 已存在。") % {"code": code}]
    if not (name or "").strip():
        errors["name"] = [_("数据来源名称不能为空。")]
    errors.update(_owner_errors(region, organisation, instance))
    if errors:
        raise ValidationError(errors)


def _scope_region(region: Region | None, organisation: Organisation | None) -> Region:
    return region if region is not None else organisation.region


@transaction.atomic
def data_source_code_create(*, code: str, name: str, region: Region | None = None,
                            organisation: Organisation | None = None, remarks: str = "",
                            is_enabled: bool = True, actor=None) -> DataSourceCode:
    """Give a city or a provincial department its data-source code."""
    _check_actor(actor, "core.add_datasourcecode")
    code = (code or "").strip().upper()
    _validate(code=code, name=name, region=region, organisation=organisation)
    return DataSourceCode.objects.create(code=code, name=name.strip(), region=region, organisation=organisation,
                                         scope_region=_scope_region(region, organisation), remarks=remarks,
                                         is_enabled=is_enabled)


@transaction.atomic
def data_source_code_update(*, data_source: DataSourceCode, actor=None, **changes) -> DataSourceCode:
    _check_actor(actor, "core.change_datasourcecode")
    allowed = {"code", "name", "region", "organisation", "remarks", "is_enabled"}
    if set(changes) - allowed:
        raise ValidationError({f: [_("该字段不可修改。")] for f in set(changes) - allowed})
    if "code" in changes:
        changes["code"] = (changes["code"] or "").strip().upper()
    merged = {f: changes.get(f, getattr(data_source, f)) for f in allowed}
    _validate(code=merged["code"], name=merged["name"], region=merged["region"],
              organisation=merged["organisation"], instance=data_source)
    for field, value in changes.items():
        setattr(data_source, field, value)
    data_source.scope_region = _scope_region(merged["region"], merged["organisation"])
    data_source.save()
    return data_source


@transaction.atomic
def data_source_code_delete(*, data_source: DataSourceCode, actor=None) -> None:
    _check_actor(actor, "core.delete_datasourcecode")
    data_source.delete()
