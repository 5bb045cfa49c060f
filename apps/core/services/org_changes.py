"""Organisation change requests (PORTAL-8.3): apply → review → cleanse → apply → feedback → push.

States (ChangeStatus): draft → pending_review → approved | rejected; approved → cleansing →
returned (problem data fed back to the applicant, who corrects and resubmits) | cleansed (the
change is applied to the organisation table) → delivered (feedback written, organisation data
queued in the outbox for every enabled subscriber, one peer per subscriber).
Every step appends a StateTransition (apps.core.workflow).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.models import (
    ChangeKind, ChangeStatus, Organisation, OrganisationChangeRequest, OrganisationSubscriber, Region,
)
from apps.core.models.org_changes import EDITABLE_STATES
from apps.core.outbox import enqueue
from apps.core.scope import can_see
from apps.core.services.organisations import (
    organisation_create, organisation_update, validate_organisation_data,
)
from apps.core.validators import normalise_credit_code, to_half_width
from apps.core.workflow import record_transition

PROPOSAL_FIELDS = ("name", "short_name", "credit_code", "region_code", "parent_id", "kind")
REVIEW_PERMISSION = "core.review_organisationchangerequest"


def _move(request: OrganisationChangeRequest, to_state: str, *, actor, action: str, comment: str = "",
          fields: tuple[str, ...] = ()) -> None:
    from_state = request.status
    request.status = to_state
    request.save(update_fields=["status", *fields])
    record_transition(obj=request, from_state=from_state, to_state=to_state, actor=actor, action=action,
                      comment=comment)


def _locked(request: OrganisationChangeRequest) -> OrganisationChangeRequest:
    return OrganisationChangeRequest.objects.select_for_update().get(pk=request.pk)


# ---------------------------------------------------------------- data cleansing

FIELD_LABELS = {
    "name": gettext_lazy("机构名称"), "short_name": gettext_lazy("部门简称"),
    "credit_code": gettext_lazy("统一社会信用代码"), "region_code": gettext_lazy("所属区划"),
    "parent_id": gettext_lazy("上级机构"), "kind": gettext_lazy("机构类型"), "target": gettext_lazy("目标机构"),
}
_ASCII_PARENS = str.maketrans({"(": "（", ")": "）"})


def normalise_name(value: str) -> str:
    """Full-width letters/digits to half-width, no whitespace, Chinese parentheses."""
    return re.sub(r"\s+", "", to_half_width(value or "")).translate(_ASCII_PARENS)


def derive_short_name(name: str, region: Region | None) -> str:
    """简称 when none was given: the name without its region prefix (道里区市场监督管理局 → 市场监督管理局)."""
    if region is not None and name.startswith(region.name) and len(name) > len(region.name):
        return name[len(region.name):]
    return name


def snapshot(organisation: Organisation) -> dict:
    return {"name": organisation.name, "short_name": organisation.short_name,
            "credit_code": organisation.credit_code, "region_code": organisation.region_id,
            "parent_id": organisation.parent_id, "kind": organisation.kind}


def export(organisation: Organisation) -> dict:
    """The organisation record pushed to subscribers."""
    return {**snapshot(organisation), "id": organisation.pk, "region_name": organisation.region.name,
            "parent_region_code": organisation.region.parent_id, "is_enabled": organisation.is_enabled,
            "updated_at": organisation.updated_at.isoformat()}


@dataclass
class CleanseResult:
    data: dict = field(default_factory=dict)
    problems: list[dict] = field(default_factory=list)

    def problem(self, name: str, value, message: str) -> None:
        self.problems.append({"field": name, "label": str(FIELD_LABELS.get(name, name)),
                              "value": "" if value is None else str(value), "message": str(message)})


def cleanse(request: OrganisationChangeRequest) -> CleanseResult:
    result = CleanseResult()
    if request.kind == ChangeKind.DELETE:
        _cleanse_delete(request.target, result)
        return result
    data = dict(request.proposed_data)
    region = Region.objects.filter(code=str(data.get("region_code") or "").strip(), is_enabled=True).first()
    data["name"] = normalise_name(data.get("name", ""))
    data["short_name"] = normalise_name(data.get("short_name", "")) or derive_short_name(data["name"], region)
    data["credit_code"] = normalise_credit_code(data.get("credit_code", ""))
    result.data = data
    if region is None:
        result.problem("region_code", data.get("region_code"), _("区划不存在或已停用。"))
    parent = _cleanse_parent(data, result)
    errors = validate_organisation_data(name=data["name"], credit_code=data["credit_code"], region=region,
                                        parent=parent, kind=data.get("kind", ""), instance=request.target)
    for name, messages in errors.items():
        if name != "region":
            for message in messages:
                result.problem(name, data.get(name, data.get("parent_id")), message)
    _check_duplicate_name(data, region, request.target, result)
    return result


def _cleanse_parent(data: dict, result: CleanseResult) -> Organisation | None:
    if not data.get("parent_id"):
        data["parent_id"] = None
        return None
    parent = Organisation.objects.filter(pk=data["parent_id"], is_enabled=True).select_related("region").first()
    if parent is None:
        result.problem("parent_id", data["parent_id"], _("上级机构不存在或已撤销。"))
    return parent


def _check_duplicate_name(data: dict, region: Region | None, target, result: CleanseResult) -> None:
    if region is None:
        return
    same = Organisation.objects.filter(region=region, name=data["name"], is_enabled=True)
    if target is not None:
        same = same.exclude(pk=target.pk)
    if same.exists():
        result.problem("name", data["name"], _("%(region)s已有同名机构，疑似重复。") % {"region": region.name})


def _cleanse_delete(target: Organisation, result: CleanseResult) -> None:
    result.data = snapshot(target)
    if not target.is_enabled:
        result.problem("target", target.name, _("该机构已撤销。"))
    children = target.children.filter(is_enabled=True).count()
    if children:
        result.problem("target", target.name, _("该机构仍有 %(n)s 个在用下级机构，请先调整。") % {"n": children})
    staff = target.staff.filter(is_active=True).count()
    if staff:
        result.problem("target", target.name, _("该机构仍有 %(n)s 名在用工作人员账号，请先调整。") % {"n": staff})


def problems_from_error(exc: ValidationError, data: dict) -> list[dict]:
    result = CleanseResult()
    for name, messages in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        for message in messages:
            result.problem(name, data.get(name), message)
    return result.problems


def model_fields(data: dict) -> dict:
    parent = Organisation.objects.filter(pk=data["parent_id"]).first() if data.get("parent_id") else None
    return {"name": data["name"], "short_name": data["short_name"], "credit_code": data["credit_code"],
            "region": Region.objects.get(code=data["region_code"]), "parent": parent, "kind": data["kind"]}


def problem_feedback(problems: list[dict]) -> str:
    lines = [f"{p['label']}：{p['message']}" for p in problems]
    return str(_("数据清洗发现问题，已退回申请单位，请修改后重新提交：")) + "\n" + "\n".join(lines)


# ---------------------------------------------------------------- applicant side

def _clean_proposal(kind: str, data: dict | None, target: Organisation | None, applicant) -> dict:
    """Structural checks that refuse the application outright (data quality is left to cleansing)."""
    if kind not in ChangeKind.values:
        raise ValidationError({"kind": [_("申请类型无效。")]})
    if kind != ChangeKind.ADD and target is None:
        raise ValidationError({"target": [_("修改或撤销申请须选择目标机构。")]})
    if target is not None and not can_see(applicant, target):
        raise ValidationError({"target": [_("目标机构不在您的数据范围内。")]})
    if kind == ChangeKind.DELETE:
        return {"name": target.name, "credit_code": target.credit_code}
    proposal = {field: (data or {}).get(field, "") for field in PROPOSAL_FIELDS}
    if kind == ChangeKind.MODIFY:
        current = snapshot(target)
        proposal = {field: (data or {}).get(field, current[field]) for field in PROPOSAL_FIELDS}
    proposal["kind"] = proposal["kind"] or "department"
    errors = {}
    if not str(proposal["name"]).strip():
        errors["name"] = [_("机构名称不能为空。")]
    region = Region.objects.filter(code=str(proposal["region_code"]).strip()).first()
    if region is None:
        errors["region_code"] = [_("所属区划不存在：%(code)s") % {"code": proposal["region_code"]}]
    elif not region.code.startswith(applicant.organisation.region.prefix) and not applicant.is_system_admin:
        errors["region_code"] = [_("只能为本单位所在区划及下级区划申请机构变更。")]
    if errors:
        raise ValidationError(errors)
    return proposal


@transaction.atomic
def org_change_create(*, applicant, kind: str, target: Organisation | None = None, data: dict | None = None,
                      reason: str = "", submit: bool = True) -> OrganisationChangeRequest:
    """A unit's staff member applies to add, modify or delete an organisation."""
    if not getattr(applicant, "organisation_id", None) or not applicant.has_perm("core.add_organisationchangerequest"):
        raise PermissionDenied(_("您没有提交机构信息更新申请的权限。"))
    proposal = _clean_proposal(kind, data, target, applicant)
    if kind == ChangeKind.DELETE and not (reason or "").strip():
        raise ValidationError({"reason": [_("撤销机构须填写申请理由。")]})
    request = OrganisationChangeRequest.objects.create(
        kind=kind, target=target, proposed_data=proposal, reason=(reason or "").strip(), applicant=applicant,
        applicant_organisation=applicant.organisation)
    record_transition(obj=request, from_state="", to_state=ChangeStatus.DRAFT, actor=applicant, action="create")
    if submit:
        request = org_change_submit(request=request, actor=applicant)
    return request


@transaction.atomic
def org_change_update(*, request: OrganisationChangeRequest, actor, data: dict, reason: str | None = None
                      ) -> OrganisationChangeRequest:
    """The applicant corrects a draft, rejected or returned request (e.g. after problem feedback)."""
    request = _locked(request)
    _require_applicant(request, actor)
    if not request.is_editable:
        raise ValidationError(_("当前状态（%(status)s）不能修改申请。") % {"status": request.get_status_display()})
    request.proposed_data = _clean_proposal(request.kind, data, request.target, actor)
    if reason is not None:
        request.reason = reason.strip()
    request.save(update_fields=["proposed_data", "reason"])
    return request


def _require_applicant(request, actor) -> None:
    if actor.pk != request.applicant_id and request.applicant_organisation_id != getattr(actor, "organisation_id", 0):
        raise PermissionDenied(_("只有申请单位可以修改或提交该申请。"))


@transaction.atomic
def org_change_submit(*, request: OrganisationChangeRequest, actor) -> OrganisationChangeRequest:
    request = _locked(request)
    _require_applicant(request, actor)
    if request.status not in EDITABLE_STATES:
        raise ValidationError(_("当前状态（%(status)s）不能提交。") % {"status": request.get_status_display()})
    request.submitted_at = timezone.now()
    _move(request, ChangeStatus.PENDING_REVIEW, actor=actor, action="submit", fields=("submitted_at",))
    return request


# ---------------------------------------------------------------- reviewer side

def can_review(user, request: OrganisationChangeRequest | None = None) -> bool:
    """Reviewers hold the review permission and work in a region-wide bureau (or are system
    administrators); departments never review. With a request: it must be in their scope."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm(REVIEW_PERMISSION):
        return False
    organisation = getattr(user, "organisation", None)
    if not (user.is_system_admin or (organisation is not None and organisation.is_region_wide)):
        return False
    return request is None or can_see(user, request)


def _review_target(request, reviewer) -> OrganisationChangeRequest:
    request = _locked(request)
    if not can_review(reviewer, request):
        raise PermissionDenied(_("您没有审核该申请的权限。"))
    if request.status != ChangeStatus.PENDING_REVIEW:
        raise ValidationError(_("该申请不是待审核状态（当前：%(status)s）。") % {"status": request.get_status_display()})
    if request.applicant_id == reviewer.pk:
        raise PermissionDenied(_("不能审核本人提交的申请。"))
    return request


@transaction.atomic
def org_change_reject(*, request: OrganisationChangeRequest, reviewer, reason: str) -> OrganisationChangeRequest:
    """Refuse the request; the reason is mandatory and shown to the applicant."""
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("驳回必须填写理由。")]})
    request = _review_target(request, reviewer)
    request.reviewer, request.reviewed_at, request.review_comment = reviewer, timezone.now(), reason.strip()
    request.feedback = _("申请被驳回：%(reason)s") % {"reason": reason.strip()}
    _move(request, ChangeStatus.REJECTED, actor=reviewer, action="reject", comment=reason.strip(),
          fields=("reviewer", "reviewed_at", "review_comment", "feedback"))
    return request


@transaction.atomic
def org_change_approve(*, request: OrganisationChangeRequest, reviewer, comment: str = "") -> OrganisationChangeRequest:
    """Approve, then cleanse at once (a system step): problems return the request to the
    applicant; clean data is applied, fed back and pushed to the subscribers."""
    request = _review_target(request, reviewer)
    request.reviewer, request.reviewed_at, request.review_comment = reviewer, timezone.now(), (comment or "").strip()
    _move(request, ChangeStatus.APPROVED, actor=reviewer, action="approve", comment=request.review_comment,
          fields=("reviewer", "reviewed_at", "review_comment"))
    return org_change_cleanse(request=request)


@transaction.atomic
def org_change_cleanse(*, request: OrganisationChangeRequest) -> OrganisationChangeRequest:
    """Data cleansing: normalise, validate, detect duplicates; then apply or feed problems back."""
    request = _locked(request)
    if request.status != ChangeStatus.APPROVED:
        raise ValidationError(_("只有审核通过的申请才能进行数据清洗。"))
    _move(request, ChangeStatus.CLEANSING, actor=None, action="cleanse")
    result = cleanse(request)
    request.cleansed_data, request.problem_data, request.cleansed_at = result.data, result.problems, timezone.now()
    if not result.problems:
        try:
            with transaction.atomic():
                organisation = _apply(request, result.data)
        except ValidationError as exc:
            request.problem_data = problems_from_error(exc, result.data)
        else:
            return _deliver(request, organisation)
    request.feedback = problem_feedback(request.problem_data)
    _move(request, ChangeStatus.RETURNED, actor=None, action="return", comment=request.feedback,
          fields=("cleansed_data", "problem_data", "cleansed_at", "feedback"))
    return request


def _apply(request: OrganisationChangeRequest, data: dict) -> Organisation:
    if request.kind == ChangeKind.DELETE:
        return organisation_update(organisation=request.target, is_enabled=False)
    fields = model_fields(data)
    if request.kind == ChangeKind.ADD:
        return organisation_create(**fields)
    return organisation_update(organisation=request.target, **fields)


def _deliver(request: OrganisationChangeRequest, organisation: Organisation) -> OrganisationChangeRequest:
    request.result_organisation = organisation
    _move(request, ChangeStatus.CLEANSED, actor=None, action="apply",
          comment=_("已写入机构库：%(name)s（%(code)s）") % {"name": organisation.name, "code": organisation.credit_code},
          fields=("cleansed_data", "problem_data", "cleansed_at", "result_organisation"))
    subscribers = push_organisation(organisation=organisation, event=request.kind, request_id=request.pk)
    request.delivered_at = timezone.now()
    request.feedback = _("申请已办结：机构“%(name)s”已%(verb)s，结果已推送至 %(count)s 个订阅系统。") % {
        "name": organisation.name, "verb": ChangeKind(request.kind).label, "count": len(subscribers)}
    _move(request, ChangeStatus.DELIVERED, actor=None, action="feedback", comment=request.feedback,
          fields=("delivered_at", "feedback"))
    return request


def push_organisation(*, organisation: Organisation, event: str, request_id: int | None = None
                      ) -> list[OrganisationSubscriber]:
    """Queue the organisation's current data for every enabled subscriber (same transaction)."""
    subscribers = list(OrganisationSubscriber.objects.filter(is_enabled=True))
    payload = {"event": event, "change_request_id": request_id, "organisation": export(organisation)}
    for subscriber in subscribers:
        enqueue(peer=subscriber.peer_name, kind="organisation." + event, payload=payload,
                idempotency_key=f"org-change-{request_id or 'direct'}-{organisation.pk}-{subscriber.pk}")
    return subscribers
