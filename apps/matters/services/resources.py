"""E-licence catalogue links (MAT-4.1.1, 4.1.2) and shared-data demands (MAT-4.2.3–4.2.5)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.matters.licence_catalogue import get_licence_catalogue
from apps.matters.models import DataDemand, DemandStatus, LicenceLink, LinkTarget
from apps.matters.services.kernel import record_transition, require_in_scope, require_permission

INDEX_KEYS = {"id_number": _("身份证号码"), "credit_code": _("统一社会信用代码"), "project_code": _("项目代码")}


class LinkConfirmationRequired(ValidationError):
    """The licence entry is already linked elsewhere; the user must confirm (MAT-4.1.1 (2))."""


def licence_link_create(*, actor, item, catalogue_code: str, target: str, index_rule: list[str], material=None,
                        confirm: bool = False) -> LicenceLink:
    require_permission(actor, "matters.change_implementationitem")
    require_in_scope(actor, item)
    catalogue = get_licence_catalogue()
    if catalogue is None:
        raise ValidationError(_("电子证照目录接口尚未接入，暂不能关联。"))
    entry = catalogue.entry(catalogue_code)
    if entry is None:
        raise ValidationError({"catalogue_code": _("电子证照目录中没有编码为 %(c)s 的证照，可提交证照目录申请。")
                                                 % {"c": catalogue_code}})
    if target not in LinkTarget.values or (target == LinkTarget.MATERIAL) != (material is not None):
        raise ValidationError({"target": _("请选择关联的审批结果或申请材料。")})
    if material is not None and material.implementation_item_id != item.pk:
        raise ValidationError({"material": _("该材料不属于本事项。")})
    if not index_rule or set(index_rule) - set(INDEX_KEYS):
        raise ValidationError({"index_rule": _("请选择证照获取规则（身份证号码、统一社会信用代码、项目代码或其组合）。")})
    other = (LicenceLink.objects.filter(catalogue_code=catalogue_code).exclude(implementation_item=item)
             .select_related("department", "implementation_item").first())
    if other is not None and not confirm:
        raise LinkConfirmationRequired(_("该证照已被%(unit)s的%(item)s事项关联，请确认是否继续关联？") % {
            "unit": other.department.name, "item": other.implementation_item.name})
    return LicenceLink.objects.create(implementation_item=item, target=target, material=material,
                                      catalogue_code=catalogue_code, catalogue_name=entry.get("name", ""),
                                      index_rule=list(index_rule), department=item.implementing_body,
                                      created_by=actor)


def data_demand_submit(*, actor, item, source, content: str) -> DataDemand:
    require_permission(actor, "matters.add_datademand")
    require_in_scope(actor, item)
    if not content.strip():
        raise ValidationError({"content": _("请填写数据需求。")})
    if source.pk == item.implementing_body_id:
        raise ValidationError({"source": _("数据来源部门不能是本单位。")})
    with transaction.atomic():
        demand = DataDemand.objects.create(implementation_item=item, requester=item.implementing_body, source=source,
                                           content=content, region_id=item.region_id, created_by=actor)
        record_transition(obj=demand, from_state="", to_state=DemandStatus.UNCONFIRMED, actor=actor, action="submit")
    return demand


def demands_for_source(*, user):
    """Every need addressed to the user's department, aggregated in one view (MAT-4.2.3 (2))."""
    return (DataDemand.objects.filter(source_id=getattr(user, "organisation_id", None))
            .select_related("implementation_item", "requester").order_by("status", "-created_at"))


def _move(demand: DataDemand, expected: tuple, to_state: str, actor, **changes) -> None:
    with transaction.atomic():
        locked = DataDemand.objects.select_for_update().get(pk=demand.pk)
        if locked.status not in expected:
            raise ValidationError(_("该需求当前为“%(s)s”，不能执行此操作。") % {"s": locked.get_status_display()})
        from_state = locked.status
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.status = to_state
        locked.save()
        record_transition(obj=locked, from_state=from_state, to_state=to_state, actor=actor, action=to_state)
    demand.refresh_from_db()


def _source_only(actor, demand: DataDemand) -> None:
    if getattr(actor, "organisation_id", None) != demand.source_id:
        raise PermissionDenied(_("由数据来源部门办理。"))


def data_demand_confirm(*, actor, demand: DataDemand) -> None:
    _source_only(actor, demand)
    _move(demand, (DemandStatus.UNCONFIRMED,), DemandStatus.CONFIRMED, actor)


def data_demand_feedback(*, actor, demand: DataDemand, api_details: str) -> None:
    _source_only(actor, demand)
    if not api_details.strip():
        raise ValidationError({"api_details": _("请填写对接方式及数据接口。")})
    _move(demand, (DemandStatus.CONFIRMED,), DemandStatus.FEEDBACK, actor, api_details=api_details)


def data_demand_reject(*, actor, demand: DataDemand, reason: str) -> None:
    _source_only(actor, demand)
    if not reason.strip():
        raise ValidationError({"reject_reason": _("退回时必须说明理由。")})
    _move(demand, (DemandStatus.UNCONFIRMED, DemandStatus.CONFIRMED), DemandStatus.REJECTED, actor,
          reject_reason=reason)


def data_demand_integrated(*, actor, demand: DataDemand) -> None:
    """The requester confirms the interface and records that integration is done offline."""
    require_in_scope(actor, demand.implementation_item)
    _move(demand, (DemandStatus.FEEDBACK,), DemandStatus.INTEGRATED, actor)
