"""Multi-level element control (多级管控 "三级N同", MAT-2.3): apply → permit → scope + consult → effective.

Once effective, the controlled elements of the implementation items in the controlled regions
hold the province's content and cannot be changed by the lower departments (changes.py asks
`controlled_fields`)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.models import Organisation, OrganisationKind, Region, RegionLevel
from apps.matters.models import (
    ControlOpinion, ControlScope, ControlStatus, ElementControl, ImplementationItem, MatterElements, MatterStatus,
    NotificationKind,
)
from apps.matters.services.declaration import publish_version
from apps.matters.services.kernel import audit_record, AuditAction, record_transition, require_permission
from apps.matters.services.notifications import implementing_bodies, notify
from apps.matters.services.versions import ELEMENT_FIELDS

NOT_CONTROLLABLE = {"region", "handling_department", "name", "matter_type", "legal_basis"}
CONTROLLABLE = [name for name in ELEMENT_FIELDS if name not in NOT_CONTROLLABLE]


def _label(name: str) -> str:
    return str(MatterElements._meta.get_field(name).verbose_name)


def controlled_fields(item) -> dict[str, ElementControl]:
    """Element → effective control covering this implementation item (empty for catalogue items)."""
    if item.kind != "implementation":
        return {}
    found = {}
    for control in ElementControl.objects.filter(catalogue_item_id=item.catalogue_item_id,
                                                 status=ControlStatus.EFFECTIVE):
        if control.covers(item.region_id):
            found.update({name: control for name in control.elements})
    return found


def _applicant(actor, control: ElementControl) -> None:
    if getattr(actor, "organisation_id", None) != control.department_id:
        raise PermissionDenied(_("只有提出管控申请的主管厅局可以办理。"))


def element_control_apply(*, actor, catalogue_item, elements: list[str], values: dict, reason: str = ""):
    """A provincial competent department applies to control elements of a catalogue item (MAT-2.3.1)."""
    require_permission(actor, "matters.add_elementcontrol")
    own = getattr(actor, "organisation", None)
    if own is None or own.kind != OrganisationKind.DEPARTMENT or own.region.level != RegionLevel.PROVINCE:
        raise PermissionDenied(_("要素统一管控由省级主管厅局申请。"))
    wrong = [name for name in elements if name not in CONTROLLABLE]
    if not elements or wrong:
        raise ValidationError({"elements": _("请选择可管控的要素。") if not elements else
                               _("这些要素不能统一管控：%(f)s") % {"f": "、".join(wrong)}})
    missing = [name for name in elements if name not in values]
    if missing:
        raise ValidationError({"values": _("请填写管控要素的统一内容：%(f)s") % {"f": "、".join(map(_label, missing))}})
    with transaction.atomic():
        control = ElementControl.objects.create(catalogue_item=catalogue_item, department=own, elements=elements,
                                                values={k: values[k] for k in elements}, reason=reason,
                                                region=own.region, created_by=actor)
        record_transition(obj=control, from_state="", to_state=ControlStatus.APPLIED, actor=actor, action="apply",
                          comment=reason)
    return control


def element_control_permit(*, actor, control: ElementControl, approve: bool, comment: str = "") -> None:
    """The provincial 编办 opens (or refuses) control permission (MAT-2.3 (1))."""
    require_permission(actor, "matters.permit_elementcontrol")
    own = getattr(actor, "organisation", None)
    if own is None or own.kind != OrganisationKind.ESTABLISHMENT_OFFICE or own.region.level != RegionLevel.PROVINCE:
        raise PermissionDenied(_("管控权限由省编办开通。"))
    _step(control, ControlStatus.APPLIED, ControlStatus.PERMITTED if approve else ControlStatus.REFUSED, actor,
          "permit" if approve else "refuse", comment)


def _step(control, expected, to_state, actor, action, comment="", **changes):
    with transaction.atomic():
        locked = ElementControl.objects.select_for_update().get(pk=control.pk)
        if locked.status != expected:
            raise ValidationError(_("该管控申请当前状态为“%(s)s”，不能执行此操作。") % {"s": locked.get_status_display()})
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.status = to_state
        locked.save()
        record_transition(obj=locked, from_state=expected, to_state=to_state, actor=actor, action=action,
                          comment=comment)
    control.refresh_from_db()
    return control


def element_control_consult(*, actor, control: ElementControl, scope: str, regions: list[Region] = ()) -> None:
    """Set the scope (province-wide or some regions) and consult every region in it (MAT-2.3.2, 2.3.3)."""
    _applicant(actor, control)
    if scope == ControlScope.PARTIAL and not regions:
        raise ValidationError({"regions": _("部分区域统一时请选择区划。")})
    if scope not in ControlScope.values:
        raise ValidationError({"scope": _("请选择管控范围。")})
    consulted = list(regions) if scope == ControlScope.PARTIAL else list(Region.objects.filter(level=RegionLevel.CITY))
    with transaction.atomic():
        _step(control, ControlStatus.PERMITTED, ControlStatus.CONSULTING, actor, "consult", scope=scope,
              scope_regions=[r.code for r in consulted])
        ControlOpinion.objects.bulk_create(ControlOpinion(control=control, region=r) for r in consulted)
        prefixes = [r.prefix for r in consulted]
        recipients = implementing_bodies(control.catalogue_item, region_prefixes=prefixes)
        recipients += list(Organisation.objects.filter(region__in=consulted,
                                                       kind=OrganisationKind.BUSINESS_ENVIRONMENT_BUREAU))
        notify(recipients=recipients, kind=NotificationKind.CONSULTATION, catalogue_item=control.catalogue_item,
               title=_("关于“%(n)s”%(e)s统一管控的意见征询") % {
                   "n": control.catalogue_item.name, "e": "、".join(map(_label, control.elements))})


def element_control_answer(*, actor, control: ElementControl, region: Region, agree: bool, opinion: str = "") -> None:
    """A consulted region answers (MAT-2.3.3)."""
    own = getattr(actor, "organisation", None)
    if own is None or not own.region_id.startswith(region.prefix):
        raise PermissionDenied(_("只能答复本区划的征询。"))
    if control.status != ControlStatus.CONSULTING:
        raise ValidationError(_("该管控申请不在征询阶段。"))
    ControlOpinion.objects.filter(control=control, region=region).update(
        agree=agree, opinion=opinion, answered_by=actor, answered_at=timezone.now())


def element_control_take_effect(*, actor, control: ElementControl, regions: list[Region] | None = None) -> int:
    """Decide region by region and put control into effect (MAT-2.3.4); the controlled content is
    written into the covered implementation items (new version for published ones). Returns how many."""
    _applicant(actor, control)
    included = [r.code for r in regions] if regions is not None else control.scope_regions
    if control.scope == ControlScope.PARTIAL and not included:
        raise ValidationError({"regions": _("请至少纳入一个区划。")})
    with transaction.atomic():
        _step(control, ControlStatus.CONSULTING, ControlStatus.EFFECTIVE, actor, "take_effect",
              scope_regions=included, effective_at=timezone.now())
        touched = 0
        items = ImplementationItem.objects.filter(catalogue_item=control.catalogue_item).exclude(
            status=MatterStatus.CANCELLED).select_related("implementing_body", "region")
        covered = [item for item in items if control.covers(item.region_id)]
        for item in covered:
            if all(getattr(item, name) == control.values[name] for name in control.elements):
                continue
            for name in control.elements:
                setattr(item, name, control.values[name])
            if item.status == MatterStatus.PUBLISHED:
                item.version += 1
            item.save()
            if item.status == MatterStatus.PUBLISHED:
                publish_version(item=item, actor=actor, summary=_("省级统一管控要素：") + "、".join(control.elements))
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=item, changes={"controlled": control.values})
            touched += 1
        notify(recipients=[item.implementing_body for item in covered], kind=NotificationKind.CONTROLLED,
               catalogue_item=control.catalogue_item,
               title=_("“%(n)s”的%(e)s已由省级统一管控") % {
                   "n": control.catalogue_item.name, "e": "、".join(map(_label, control.elements))})
    return touched
