"""Demo matters: a published provincial catalogue claimed by Harbin and Daoli district departments.

    seed_matters(log=print)   idempotent; needs the demo organisations (apps.portal.demo) first

Items are created directly (no reviewer accounts needed) with codes from the active coding rule,
and published as version 1 through `publish_version`, so they are also queued for the national
platform like any reviewed matter.
"""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from apps.core.models import Organisation
from apps.matters.demo.data import CATALOGUE, COUNTY_CLAIMS, LOCAL_SUFFIX
from apps.matters.models import (
    EXERCISE_LEVEL_OF_REGION, CaseType, CatalogueItem, ImplementationItem, MatterStatus,
)
from apps.matters.services.coding import catalogue_code_generate, implementation_code_generate
from apps.matters.services.declaration import publish_version, replace_children

PROVINCE, CITY, COUNTY = "黑龙江省", "哈尔滨市", "道里区"
PHONES = {PROVINCE: "0451-82620000", CITY: "0451-86660000", COUNTY: "0451-84610000"}
LOCATIONS = {PROVINCE: "黑龙江省政务服务中心（哈尔滨市南岗区华山路）", CITY: "哈尔滨市政务服务中心（松北区世纪大道1号）",
             COUNTY: "道里区政务服务中心（道里区安阳路）"}


def _steps(committed: int, immediate: bool) -> list[dict]:
    if immediate:
        return [{"name": "受理", "is_acceptance": True, "step_limit_working_days": 0, "description": "窗口受理"},
                {"name": "即时办结", "is_acceptance": False, "step_limit_working_days": 0, "description": "当场出件"}]
    decide = max(1, committed // 3) if committed > 1 else 0
    return [{"name": "受理", "is_acceptance": True, "step_limit_working_days": 0, "description": "窗口收件并受理"},
            {"name": "审查", "is_acceptance": False, "step_limit_working_days": committed - decide,
             "description": "审查申请材料"},
            {"name": "决定", "is_acceptance": False, "step_limit_working_days": decide, "description": "作出决定并制证"}]


def _children(row) -> dict:
    _dept, _name, _type, _basis, _statutory, committed, immediate, materials, fee, situations, _theme, _result = row
    return {
        "materials": [{"name": name, "is_required": True, "original_copies": 1, "photocopy_copies": 1 if i else 0,
                       "source": "申请人自备", "is_proof": "证明" in name} for i, name in enumerate(materials)],
        "steps": _steps(committed, immediate),
        "fees": [{"name": fee[0], "amount_fen": fee[1], "basis": fee[2]}] if fee else [],
        "situations": [{"name": name, "conditions": f"适用于{name}的申请人"} for name in situations],
    }


def _elements(row, where: str, department: Organisation) -> dict:
    _dept, name, matter_type, basis, statutory, committed, immediate, _m, fee, _s, theme, result = row
    return {
        "name": name, "matter_type": matter_type, "legal_basis": basis, "theme": theme, "region": department.region,
        "handling_department": department, "handling_location": LOCATIONS[where],
        "handling_hours": "工作日 上午8:30-11:30，下午13:30-17:00", "consultation_phone": PHONES[where],
        "supervision_phone": "12345", "online_handling_url": "https://zwfw.hlj.gov.cn/",
        "is_immediate": immediate, "statutory_limit_working_days": statutory,
        "committed_limit_working_days": committed, "case_type": CaseType.IMMEDIATE if immediate else CaseType.COMMITTED,
        "acceptance_conditions": f"申请人符合{name}的法定条件，申请材料齐全、符合法定形式。", "result_name": result,
        "is_charged": bool(fee), "fee_standard": f"{fee[1] / 100:.2f}元" if fee else "",
        "fee_basis": fee[2] if fee else "", "service_targets": "自然人、法人", "supports_appointment": True,
        "exercise_content": f"{name}的受理、审查和决定", "handling_process": "申请→受理→审查→决定→送达",
    }


def _publish(item) -> None:
    item.status, item.version, item.published_at = MatterStatus.PUBLISHED, 1, timezone.now()
    item.save(update_fields=["status", "version", "published_at", "updated_at"])
    publish_version(item=item, actor=None, summary="演示数据：首次发布")


def _catalogue_item(row, owner: Organisation) -> CatalogueItem:
    existing = CatalogueItem.objects.filter(department=owner, name=row[1]).first()
    if existing:
        return existing
    item = CatalogueItem(**_elements(row, PROVINCE, owner), department=owner,
                         exercise_levels=[EXERCISE_LEVEL_OF_REGION[owner.region.level].value, "3", "4"])
    item.basic_code = catalogue_code_generate(item=item)
    item.save()
    replace_children(item, _children(row))
    _publish(item)
    return item


def _claim(catalogue_item: CatalogueItem, row, body: Organisation, where: str) -> bool:
    if ImplementationItem.objects.filter(catalogue_item=catalogue_item, implementing_body=body).exists():
        return False
    item = ImplementationItem(**_elements(row, where, body), catalogue_item=catalogue_item,
                              basic_code=catalogue_item.basic_code, implementing_body=body,
                              exercise_level=EXERCISE_LEVEL_OF_REGION[body.region.level].value)
    item.implementation_code = implementation_code_generate(item=item)
    item.save()
    replace_children(item, _children(row))
    _publish(item)
    return True


def seed_matters(*, log=print) -> tuple[int, int]:
    """Create what is missing; returns (catalogue items, implementation items) created."""
    names = {PROVINCE + row[0] for row in CATALOGUE}
    names |= {CITY + suffix for suffix in LOCAL_SUFFIX.values()} | {COUNTY + LOCAL_SUFFIX[s] for s in COUNTY_CLAIMS}
    organisations = {o.name: o for o in Organisation.objects.filter(name__in=names).select_related("region")}
    if not organisations:
        log("事项：未找到演示机构，请先运行 seed_demo")
        return 0, 0
    before = (CatalogueItem.objects.count(), ImplementationItem.objects.count())
    with transaction.atomic():
        for row in CATALOGUE:
            owner = organisations.get(PROVINCE + row[0])
            if owner is None:
                continue
            catalogue_item = _catalogue_item(row, owner)
            local = LOCAL_SUFFIX[row[0]]
            for where, name in ((CITY, CITY + local), (COUNTY, COUNTY + local)):
                body = organisations.get(name)
                if body is not None and (where == CITY or row[0] in COUNTY_CLAIMS):
                    _claim(catalogue_item, row, body, where)
    created = (CatalogueItem.objects.count() - before[0], ImplementationItem.objects.count() - before[1])
    log(f"事项：目录清单新增 {created[0]}，实施清单新增 {created[1]}")
    return created
