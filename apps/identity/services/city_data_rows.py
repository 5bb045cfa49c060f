"""Row checks of a city data import (IDN-11.1, 11.2): each row of a city's regions or organisations
becomes new / changed / unchanged / refused (with a Chinese reason). Pure reads; nothing is written."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.core.models import Organisation, OrganisationKind, Region
from apps.core.models.regions import (
    RegionLevel,
    RegionType,
    level_of_code,
    parent_code_of,
    prefix_of_code,
)
from apps.core.validators import (
    normalise_credit_code,
    validate_credit_code,
    validate_region_code,
)

NEW, CHANGED, UNCHANGED, REFUSED = "new", "changed", "unchanged", "refused"
ACTION_LABELS = {NEW: "新增", CHANGED: "修改", UNCHANGED: "无变化", REFUSED: "拒绝"}
DISABLED_WORDS = {"撤销", "删除", "停用", "0", "false", "disabled"}
KIND_BY_LABEL = {str(label): value for value, label in OrganisationKind.choices}

REGION_COLUMNS = ["区划代码", "区划名称", "区划类型", "状态"]
REGION_KEYS = ["code", "name", "region_type", "status"]
ORGANISATION_COLUMNS = ["统一社会信用代码", "机构名称", "部门简称", "区划代码", "上级机构信用代码", "机构类型", "状态"]
ORGANISATION_KEYS = ["credit_code", "name", "short_name", "region", "parent", "kind", "status"]


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _enabled(status: str) -> bool:
    return _text(status).lower() not in DISABLED_WORDS


def _result(line, key, action, data, changes=None, reason="") -> dict:
    return {"line": line, "key": key, "action": action, "data": data, "changes": changes or {}, "reason": reason}


def _in_city(code: str, city: Region) -> bool:
    return code.startswith(city.prefix) and code != city.code


# --- regions ---------------------------------------------------------------------------------

def _region_refusal(data: dict, city: Region, seen: dict, known: set[str]) -> str:
    code, name, region_type = data["code"], data["name"], data["region_type"]
    try:
        validate_region_code(code)
    except ValidationError as exc:
        return exc.messages[0]
    if not _in_city(code, city):
        return _("区划代码 %(code)s 不属于%(city)s，只能导入本市（地）的下级区划。") % {"code": code, "city": city.name}
    if code in seen:
        return _("区划代码 %(code)s 与第 %(line)s 行重复。") % {"code": code, "line": seen[code]}
    if not name:
        return _("区划名称不能为空。")
    if region_type and region_type not in RegionType.values:
        return _("区划类型无效：%(value)s") % {"value": region_type}
    parent = parent_code_of(code)
    if level_of_code(code) > RegionLevel.CITY and parent not in known:
        return _("上级区划 %(parent)s 不存在（库中和本批数据中都没有）。") % {"parent": parent}
    return ""


def check_region_rows(raw_rows: list[dict], city: Region) -> list[dict]:
    """Check a city's region rows against the database and each other (parents before children)."""
    codes = [_text(r.get("code")) for r in raw_rows]
    wanted = {c for c in codes if c} | {city.code}
    parents = set()
    for code in wanted:
        try:
            parents.add(parent_code_of(code))
        except ValidationError:
            continue
    existing = {r.code: r for r in Region.objects.filter(code__in=wanted)}
    known = set(existing) | set(Region.objects.filter(code__in=parents - {None}).values_list("code", flat=True))
    seen: dict[str, int] = {}
    order = sorted(range(len(raw_rows)), key=lambda i: (len(codes[i].rstrip("0")), i))
    by_index: dict[int, dict] = {}
    for i in order:
        line = i + 2                                           # header is line 1 of the sheet
        data = {key: _text(raw_rows[i].get(key)) for key in REGION_KEYS}
        reason = _region_refusal(data, city, seen, known)
        if reason:
            by_index[i] = _result(line, data["code"], REFUSED, data, reason=reason)
            continue
        seen[data["code"]] = line
        known.add(data["code"])
        current = existing.get(data["code"])
        enabled = _enabled(data["status"])
        if current is None:
            if not enabled:
                by_index[i] = _result(line, data["code"], REFUSED, data,
                                      reason=_("区划代码 %(code)s 不存在，无法撤销。") % {"code": data["code"]})
                known.discard(data["code"])
                continue
            by_index[i] = _result(line, data["code"], NEW, data)
            continue
        wanted = {"name": data["name"], "region_type": data["region_type"] or current.region_type,
                  "is_enabled": enabled}
        changes = {f: [getattr(current, f), v] for f, v in wanted.items() if getattr(current, f) != v}
        by_index[i] = _result(line, data["code"], CHANGED if changes else UNCHANGED, data, changes)
    return [by_index[i] for i in range(len(raw_rows))]


# --- organisations ---------------------------------------------------------------------------

def _organisation_refusal(data: dict, city: Region, seen: dict, regions: dict, batch_codes: set,
                          existing: dict) -> str:
    try:
        validate_credit_code(data["credit_code"])
    except ValidationError as exc:
        return _("统一社会信用代码 %(code)s 无效：%(why)s") % {"code": data["credit_code"], "why": exc.messages[0]}
    if data["credit_code"] in seen:
        return _("统一社会信用代码 %(code)s 与第 %(line)s 行重复。") % {"code": data["credit_code"],
                                                                   "line": seen[data["credit_code"]]}
    if not data["name"]:
        return _("机构名称不能为空。")
    region = regions.get(data["region"])
    if region is None:
        return _("区划代码 %(code)s 不存在。") % {"code": data["region"] or "（空）"}
    if not region.code.startswith(city.prefix):
        return _("区划代码 %(code)s 不属于%(city)s。") % {"code": region.code, "city": city.name}
    current = existing.get(data["credit_code"])
    if current is not None and not current.region_id.startswith(city.prefix):
        return _("统一社会信用代码 %(code)s 已被其他地市的机构“%(name)s”使用。") % {
            "code": data["credit_code"], "name": current.name}
    if data["kind"] and data["kind"] not in KIND_BY_LABEL and data["kind"] not in OrganisationKind.values:
        return _("机构类型无效：%(value)s") % {"value": data["kind"]}
    parent = data["parent"]
    if parent:
        if parent == data["credit_code"]:
            return _("上级机构不能是本机构。")
        if parent not in existing and parent not in batch_codes:
            return _("上级机构 %(code)s 不存在（库中和本批数据中都没有）。") % {"code": parent}
        parent_region = existing[parent].region_id if parent in existing else None
        if parent_region and not region.code.startswith(prefix_of_code(parent_region)):
            return _("上级机构 %(code)s 的区划不包含区划 %(region)s。") % {"code": parent, "region": region.code}
    return ""


def check_organisation_rows(raw_rows: list[dict], city: Region) -> list[dict]:
    datas = []
    for raw in raw_rows:
        data = {key: _text(raw.get(key)) for key in ORGANISATION_KEYS}
        for key in ("credit_code", "parent"):
            data[key] = normalise_credit_code(data[key]) if data[key] else ""
        datas.append(data)
    codes = {d["credit_code"] for d in datas} | {d["parent"] for d in datas if d["parent"]}
    existing = {o.credit_code: o for o in Organisation.objects.filter(credit_code__in=codes).select_related("parent")}
    regions = {r.code: r for r in Region.objects.filter(code__in={d["region"] for d in datas if d["region"]})}
    seen: dict[str, int] = {}
    valid_codes = set()
    results = []
    for index, data in enumerate(datas):
        line = index + 2
        batch_codes = {d["credit_code"] for d in datas if d is not data}
        reason = _organisation_refusal(data, city, seen, regions, batch_codes, existing)
        if reason:
            results.append(_result(line, data["credit_code"], REFUSED, data, reason=reason))
            continue
        seen[data["credit_code"]] = line
        valid_codes.add(data["credit_code"])
        kind = KIND_BY_LABEL.get(data["kind"], data["kind"]) or OrganisationKind.DEPARTMENT
        current = existing.get(data["credit_code"])
        if current is None:
            results.append(_result(line, data["credit_code"], NEW, {**data, "kind": kind}))
            continue
        wanted = {"name": data["name"], "short_name": data["short_name"], "region_id": data["region"],
                  "kind": kind, "is_enabled": _enabled(data["status"]),
                  "parent": data["parent"] or ""}
        now = {"name": current.name, "short_name": current.short_name, "region_id": current.region_id,
               "kind": current.kind, "is_enabled": current.is_enabled,
               "parent": current.parent.credit_code if current.parent_id else ""}
        changes = {f: [now[f], v] for f, v in wanted.items() if now[f] != v}
        results.append(_result(line, data["credit_code"], CHANGED if changes else UNCHANGED, {**data, "kind": kind},
                               changes))
    # a parent that exists only in the batch must itself be accepted
    changed = True
    while changed:
        changed = False
        accepted = {r["key"] for r in results if r["action"] != REFUSED}
        for row in results:
            parent = row["data"].get("parent")
            if row["action"] != REFUSED and parent and parent not in existing and parent not in accepted:
                row.update(action=REFUSED, changes={},
                           reason=_("上级机构 %(code)s 在本批数据中被拒绝，本行不能入库。") % {"code": parent})
                changed = True
    return results


def summarise(rows: list[dict]) -> dict:
    counts = {action: 0 for action in ACTION_LABELS}
    for row in rows:
        counts[row["action"]] += 1
    return counts
