"""AppScenario library writes (APP-2.6): types; scenarios add/modify/delete, recommend, review, publish and
security/compatibility detection with a report."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.workflow import record_transition
from apps.mobile.adapters import probe
from apps.mobile.models import AppScenario, ScenarioStatus, ScenarioType
from apps.mobile.services.common import require, require_own, require_visible

DEVELOP = "mobile.develop_apps"
ADMINISTER = "mobile.administer_apps"
FIELDS = ["scenario_type", "name", "url", "description"]


def scenario_type_save(*, actor, name: str, sort_order: int = 0, scenario_type: ScenarioType | None = None):
    require(actor, ADMINISTER)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写场景类型。")})
    if ScenarioType.objects.filter(name=name).exclude(pk=getattr(scenario_type, "pk", None)).exists():
        raise ValidationError({"name": _("场景类型已存在。")})
    with transaction.atomic():
        scenario_type = scenario_type or ScenarioType()
        scenario_type.name, scenario_type.sort_order = name, sort_order
        scenario_type.save()
        audit_record(actor=actor, action="update", obj=scenario_type, detail=f"场景类型：{name}")
    return scenario_type


def scenario_type_delete(*, actor, scenario_type: ScenarioType) -> None:
    require(actor, ADMINISTER)
    if scenario_type.scenarios.exists():
        raise ValidationError(_("该类型下还有场景应用，不能删除。"))
    with transaction.atomic():
        audit_record(actor=actor, action="delete", obj=scenario_type, detail=f"场景类型：{scenario_type.name}")
        scenario_type.delete()


def scenario_create(*, actor, data: dict) -> AppScenario:
    require(actor, DEVELOP)
    if actor.organisation_id is None:
        raise PermissionDenied(_("您的账号未归属单位。"))
    with transaction.atomic():
        scenario = AppScenario(organisation_id=actor.organisation_id, created_by=actor,
                            **{k: v for k, v in data.items() if k in FIELDS})
        scenario.full_clean()
        scenario.save()
        record_transition(obj=scenario, from_state="", to_state=scenario.status, actor=actor, action="create")
        audit_record(actor=actor, action="create", obj=scenario, detail=scenario.name)
    return scenario


def scenario_update(*, actor, scenario: AppScenario, data: dict) -> AppScenario:
    """A modified scenario goes back to review and is unpublished until approved again."""
    require(actor, DEVELOP)
    require_own(actor, scenario.organisation_id)
    with transaction.atomic():
        for key, value in data.items():
            if key in FIELDS:
                setattr(scenario, key, value)
        scenario.full_clean()
        from_state = scenario.status
        scenario.status, scenario.is_published = ScenarioStatus.DRAFT, False
        scenario.save()
        record_transition(obj=scenario, from_state=from_state, to_state=scenario.status, actor=actor, action="update")
        audit_record(actor=actor, action="update", obj=scenario, detail=scenario.name)
    return scenario


def scenario_delete(*, actor, scenario: AppScenario) -> None:
    require(actor, DEVELOP)
    require_own(actor, scenario.organisation_id)
    with transaction.atomic():
        audit_record(actor=actor, action="delete", obj=scenario, detail=scenario.name)
        scenario.delete()


def scenario_detect(*, actor, scenario: AppScenario) -> AppScenario:
    """Security and compatibility detection of the scenario's address, stored as its report."""
    require(actor, ADMINISTER)
    require_visible(actor, scenario)
    connectivity, page = probe.check_connectivity(scenario.url, identifier=f"scenario-{scenario.pk}")
    report = {"url": scenario.url, "connectivity": connectivity, "security": probe.check_security(scenario.url, page),
              "compatibility": probe.check_compatibility(page)}
    with transaction.atomic():
        scenario.report, scenario.detected_at = report, timezone.now()
        scenario.security_ok, scenario.compatibility_ok = report["security"]["ok"], report["compatibility"]["ok"]
        scenario.save(update_fields=["report", "detected_at", "security_ok", "compatibility_ok"])
        audit_record(actor=actor, action="update", obj=scenario, detail="场景检测")
    return scenario


def scenario_review(*, actor, scenario: AppScenario, approve: bool, comment: str = "") -> AppScenario:
    require(actor, ADMINISTER)
    require_visible(actor, scenario)
    if not approve and not (comment or "").strip():
        raise ValidationError({"comment": _("退回时必须填写审核意见。")})
    if approve and not (scenario.security_ok and scenario.compatibility_ok):
        raise ValidationError(_("请先通过安全检测和兼容性检测。"))
    with transaction.atomic():
        from_state = scenario.status
        scenario.status = ScenarioStatus.APPROVED if approve else ScenarioStatus.REJECTED
        scenario.review_comment = comment
        scenario.save(update_fields=["status", "review_comment"])
        record_transition(obj=scenario, from_state=from_state, to_state=scenario.status, actor=actor,
                          action="approve" if approve else "reject", comment=comment)
    return scenario


def scenario_publish(*, actor, scenario: AppScenario, published: bool = True) -> AppScenario:
    require(actor, ADMINISTER)
    require_visible(actor, scenario)
    if published and scenario.status != ScenarioStatus.APPROVED:
        raise ValidationError(_("只有审核通过的场景可以发布。"))
    with transaction.atomic():
        scenario.is_published = published
        scenario.save(update_fields=["is_published"])
        audit_record(actor=actor, action="update", obj=scenario, detail="发布" if published else "取消发布")
    return scenario


def scenario_recommend(*, actor, scenario: AppScenario, recommended: bool) -> AppScenario:
    require(actor, ADMINISTER)
    require_visible(actor, scenario)
    with transaction.atomic():
        scenario.is_recommended = recommended
        scenario.save(update_fields=["is_recommended"])
        audit_record(actor=actor, action="update", obj=scenario, detail="推荐" if recommended else "取消推荐")
    return scenario
