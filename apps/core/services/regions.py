"""Writes to the region tree: create one region, load the province fixture idempotently."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.models import Region
from apps.core.models.regions import RegionType, parent_code_of
from apps.core.validators import validate_region_code

DEFAULT_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "regions_heilongjiang.json"


def _check_actor(actor, perm: str) -> None:
    if actor is not None and not actor.has_perm(perm):
        raise PermissionDenied(_("您没有维护区划的权限。"))


def _validate(code: str, name: str, region_type: str) -> None:
    errors: dict[str, list[str]] = {}
    try:
        validate_region_code(code)
    except ValidationError as exc:
        errors["code"] = exc.messages
    if not (name or "").strip():
        errors["name"] = [_("区划名称不能为空。")]
    if region_type and region_type not in RegionType.values:
        errors["region_type"] = [_("区划类型无效：%(value)s") % {"value": region_type}]
    if not errors:
        if Region.objects.filter(code=code).exists():
            errors["code"] = [_("区划代码 %(code)s 已存在。") % {"code": code}]
        else:
            parent = parent_code_of(code)
            if parent and not Region.objects.filter(code=parent).exists():
                errors["code"] = [_("上级区划 %(parent)s 不存在，请先创建上级区划。") % {"parent": parent}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def region_create(*, code: str, name: str, region_type: str = "", actor=None) -> Region:
    """Create one region below an existing parent. Invalid or duplicate codes are refused."""
    _check_actor(actor, "core.add_region")
    code = (code or "").strip()
    _validate(code, name, region_type)
    region = Region(code=code, name=name.strip(), region_type=region_type)
    region.save()
    return region


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _read_fixture(path: Path) -> list[dict]:
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    rows = document["regions"] if isinstance(document, dict) else document
    seen: set[str] = set()
    for row in rows:
        validate_region_code(row["code"])
        if row["code"] in seen:
            raise ValidationError(_("区划文件中区划代码重复：%(code)s") % {"code": row["code"]})
        seen.add(row["code"])
    return sorted(rows, key=lambda r: r["code"])   # parents sort before their children


@transaction.atomic
def regions_load(*, path: Path | str = DEFAULT_FIXTURE, actor=None) -> LoadResult:
    """Load (or refresh names and types from) a region file. Running it twice changes nothing;
    a bad file raises before anything is written."""
    _check_actor(actor, "core.add_region")
    rows = _read_fixture(Path(path))
    existing = {r.code: r for r in Region.objects.filter(code__in=[row["code"] for row in rows])}
    known = set(existing) | set(Region.objects.values_list("code", flat=True))
    result = LoadResult()
    for row in rows:
        parent = parent_code_of(row["code"])
        if parent and parent not in known:
            raise ValidationError(_("区划 %(code)s 的上级区划 %(parent)s 不存在。") % {"code": row["code"], "parent": parent})
        region = existing.get(row["code"])
        region_type = row.get("region_type", "")
        if region is None:
            Region(code=row["code"], name=row["name"], region_type=region_type).save()
            known.add(row["code"])
            result.created += 1
        elif (region.name, region.region_type) != (row["name"], region_type):
            region.name, region.region_type = row["name"], region_type
            region.save(update_fields=["name", "region_type", "level", "prefix", "parent"])
            result.updated += 1
        else:
            result.unchanged += 1
    return result
