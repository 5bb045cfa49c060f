"""Interface management writes (APP-3.1 to APP-3.7): catalogue, resources, onboarding, review,
withdrawal, mounting, subscription, listing and rate limits."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.workflow import record_transition
from apps.mobile.adapters.upstream import get_upstream_client
from apps.mobile.models import (
    InterfaceResource, InterfaceReview, InterfaceSubscription, InterfaceTest, ListingStatus, LogModule,
    MobileApp, RequestStatus, ResourceCatalogue, ResourceStatus, WithdrawalRequest,
)
from apps.mobile.services.common import log, require, require_own, require_visible

MANAGE = "mobile.manage_interfaces"
REVIEW = "mobile.review_interfaces"
EDITABLE = {ResourceStatus.DRAFT, ResourceStatus.REJECTED}
RESOURCE_FIELDS = ["category", "code", "name", "version", "description", "method", "upstream_url",
                   "rate_limit_count", "rate_limit_seconds", "is_public"]


def _set_status(resource: InterfaceResource, to: str, *, actor, action: str, comment: str = "",
                extra_fields: tuple = ()) -> None:
    from_state = resource.status
    resource.status = to
    resource.save(update_fields=["status", "updated_at", *extra_fields])
    record_transition(obj=resource, from_state=from_state, to_state=to, actor=actor, action=action, comment=comment)


def _validate_limits(data: dict) -> None:
    errors = {}
    if data.get("rate_limit_count") is not None and data["rate_limit_count"] < 1:
        errors["rate_limit_count"] = _("限流次数至少为 1。")
    if data.get("rate_limit_seconds") is not None and not 1 <= data["rate_limit_seconds"] <= 86400:
        errors["rate_limit_seconds"] = _("限流周期应在 1 到 86400 秒之间。")
    if errors:
        raise ValidationError(errors)


# --- catalogue ---------------------------------------------------------------------------------


def catalogue_create(*, actor, code: str, name: str, description: str = "") -> ResourceCatalogue:
    require(actor, MANAGE)
    if actor.organisation_id is None:
        raise PermissionDenied(_("您的账号未归属单位，不能维护资源目录。"))
    if ResourceCatalogue.objects.filter(code=code).exists():
        raise ValidationError({"code": _("目录编码已存在。")})
    with transaction.atomic():
        catalogue = ResourceCatalogue.objects.create(organisation_id=actor.organisation_id, code=code, name=name,
                                                     description=description)
        log(module=LogModule.CONFIGURATION, action="新增资源目录", actor=actor, detail=str(catalogue),
            obj=catalogue, audit_action="create")
    return catalogue


def catalogue_publish(*, actor, catalogue: ResourceCatalogue, published: bool = True) -> ResourceCatalogue:
    require(actor, MANAGE)
    require_own(actor, catalogue.organisation_id)
    with transaction.atomic():
        catalogue.is_published = published
        catalogue.save(update_fields=["is_published"])
        log(module=LogModule.CONFIGURATION, action="发布资源目录" if published else "取消发布资源目录",
            actor=actor, detail=str(catalogue), obj=catalogue)
    return catalogue


# --- resources ---------------------------------------------------------------------------------


def resource_create(*, actor, data: dict) -> InterfaceResource:
    """Fill in the interface information (APP-3.7 step 1); the resource belongs to the actor's unit."""
    require(actor, MANAGE)
    if actor.organisation_id is None:
        raise PermissionDenied(_("您的账号未归属单位，不能登记接口资源。"))
    _validate_limits(data)
    if InterfaceResource.objects.filter(code=data["code"]).exists():
        raise ValidationError({"code": _("资源编码已存在。")})
    with transaction.atomic():
        resource = InterfaceResource(organisation_id=actor.organisation_id, created_by=actor,
                                     **{k: v for k, v in data.items() if k in RESOURCE_FIELDS})
        resource.full_clean()
        resource.save()
        record_transition(obj=resource, from_state="", to_state=resource.status, actor=actor, action="create")
        log(module=LogModule.MANAGEMENT, action="新增接口资源", actor=actor, resource=resource,
            detail=str(resource), audit_action="create")
    return resource


def resource_update(*, actor, resource: InterfaceResource, data: dict) -> InterfaceResource:
    """Edit (APP-3.7): the interface information only while draft or returned; limits and the public
    flag of a published resource are configured with resource_configure."""
    require(actor, MANAGE)
    require_own(actor, resource.organisation_id)
    if resource.status not in EDITABLE:
        raise ValidationError(_("只有待提交或已退回的接口资源可以编辑。"))
    _validate_limits(data)
    code = data.get("code", resource.code)
    if InterfaceResource.objects.filter(code=code).exclude(pk=resource.pk).exists():
        raise ValidationError({"code": _("资源编码已存在。")})
    with transaction.atomic():
        for key, value in data.items():
            if key in RESOURCE_FIELDS:
                setattr(resource, key, value)
        resource.full_clean()
        resource.save()
        log(module=LogModule.MANAGEMENT, action="编辑接口资源", actor=actor, resource=resource, detail=str(resource))
    return resource


def resource_delete(*, actor, resource: InterfaceResource) -> None:
    require(actor, MANAGE)
    require_own(actor, resource.organisation_id)
    if resource.status in {ResourceStatus.PUBLISHED, ResourceStatus.WITHDRAWING}:
        raise ValidationError(_("已发布的接口资源不能直接删除，请先申请撤回。"))
    if resource.bindings.exists():
        raise ValidationError(_("接口资源已被应用绑定，不能删除。"))
    with transaction.atomic():
        log(module=LogModule.MANAGEMENT, action="删除接口资源", actor=actor, resource=None, app=None,
            detail=str(resource), obj=resource, audit_action="delete")
        resource.delete()


def resource_test(*, actor, resource: InterfaceResource) -> InterfaceTest:
    """API test (APP-3.7): one real call of the upstream address; the outcome is stored."""
    require(actor, MANAGE)
    require_own(actor, resource.organisation_id)
    result = get_upstream_client().call(base_url=resource.upstream_url, code=resource.code, method=resource.method,
                                        timeout=5.0)
    with transaction.atomic():
        test = InterfaceTest.objects.create(
            resource=resource, ok=result.ok, status_code=result.status_code, latency_ms=result.latency_ms,
            tested_by=actor,
            detail=(result.error or f"HTTP {result.status_code}: {result.content[:300].decode('utf-8', 'replace')}"))
        log(module=LogModule.MANAGEMENT, action="接口测试", actor=actor, resource=resource,
            detail=f"{'通过' if test.ok else '失败'}：{test.detail}")
    return test


def resource_submit(*, actor, resource: InterfaceResource) -> InterfaceResource:
    """Submit for review (APP-3.1 publish, APP-3.7); needs a passed API test after the last edit."""
    require(actor, MANAGE)
    require_own(actor, resource.organisation_id)
    if resource.status not in EDITABLE:
        raise ValidationError(_("该接口资源当前状态不能提交审核。"))
    last = resource.tests.order_by("-tested_at", "-pk").first()
    if last is None or not last.ok or last.tested_at < resource.updated_at:
        raise ValidationError(_("请先通过接口测试（编辑后需重新测试）再提交审核。"))
    with transaction.atomic():
        resource.submitted_by = actor
        resource.rejection_reason = ""
        _set_status(resource, ResourceStatus.PENDING_REVIEW, actor=actor, action="submit",
                    extra_fields=("submitted_by", "rejection_reason"))
        log(module=LogModule.MANAGEMENT, action="提交审核", actor=actor, resource=resource, detail=str(resource))
    return resource


def resource_review(*, actor, resources: list[InterfaceResource], approve: bool, reason: str = "") -> int:
    """Review one or a batch (APP-3.2): approve publishes, reject returns to the submitter with a reason
    (required). All or nothing: one resource not pending refuses the whole batch."""
    require(actor, REVIEW)
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("退回时必须填写退回原因。")})
    if not resources:
        raise ValidationError(_("请选择要审核的接口资源。"))
    batch = uuid.uuid4().hex[:12] if len(resources) > 1 else ""
    now = timezone.now()
    with transaction.atomic():
        locked = list(InterfaceResource.objects.select_for_update().filter(pk__in=[r.pk for r in resources]))
        for resource in locked:
            require_visible(actor, resource)
            if resource.status != ResourceStatus.PENDING_REVIEW:
                raise ValidationError(_("%(r)s 不是待审核状态。") % {"r": resource})
        for resource in locked:
            InterfaceReview.objects.create(resource=resource, decision="approve" if approve else "reject",
                                           reason=reason, batch=batch, reviewer=actor)
            if approve:
                resource.published_at = now
                resource.is_listed = True
                _set_status(resource, ResourceStatus.PUBLISHED, actor=actor, action="approve", comment=reason,
                            extra_fields=("published_at", "is_listed"))
            else:
                resource.rejection_reason = reason
                _set_status(resource, ResourceStatus.REJECTED, actor=actor, action="reject", comment=reason,
                            extra_fields=("rejection_reason",))
            log(module=LogModule.REVIEW, action="审核通过" if approve else "审核退回", actor=actor,
                resource=resource, detail=reason or str(resource))
    return len(locked)


def resource_configure(*, actor, resource: InterfaceResource, rate_limit_count: int, rate_limit_seconds: int,
                       is_public: bool) -> InterfaceResource:
    """Rate-limiting rule and public flag (APP-3.7); allowed in any state."""
    require(actor, MANAGE)
    require_own(actor, resource.organisation_id)
    _validate_limits({"rate_limit_count": rate_limit_count, "rate_limit_seconds": rate_limit_seconds})
    with transaction.atomic():
        resource.rate_limit_count, resource.rate_limit_seconds = rate_limit_count, rate_limit_seconds
        resource.is_public = is_public
        resource.save(update_fields=["rate_limit_count", "rate_limit_seconds", "is_public", "updated_at"])
        log(module=LogModule.CONFIGURATION, action="设置限流与公开", actor=actor, resource=resource,
            detail=f"{rate_limit_count} 次/{rate_limit_seconds} 秒，{'公开' if is_public else '不公开'}")
    return resource


def resource_set_listed(*, actor, resource: InterfaceResource, listed: bool) -> InterfaceResource:
    """List/delist a published interface (APP-3.7): a delisted one answers 503 at the gateway."""
    require(actor, MANAGE)
    require_own(actor, resource.organisation_id)
    if resource.status != ResourceStatus.PUBLISHED:
        raise ValidationError(_("只有已发布的接口资源可以上下架。"))
    with transaction.atomic():
        resource.is_listed = listed
        resource.save(update_fields=["is_listed", "updated_at"])
        record_transition(obj=resource, from_state=resource.status, to_state=resource.status, actor=actor,
                          action="list" if listed else "delist")
        log(module=LogModule.CONFIGURATION, action="上架接口" if listed else "下架接口", actor=actor,
            resource=resource)
    return resource


def internet_address(resource: InterfaceResource) -> str:
    """The converted internet address of a mounted resource: the gateway's public URL for its code."""
    return f"{settings.MOBILE_GATEWAY_PUBLIC_URL.rstrip('/')}/{resource.code}/"


def resource_mount(*, actor, resource: InterfaceResource, catalogue: ResourceCatalogue) -> InterfaceResource:
    """Mount a published resource under a published catalogue (APP-3.4), giving it an internet address."""
    require(actor, MANAGE)
    require_own(actor, resource.organisation_id)
    require_visible(actor, catalogue)
    if not catalogue.is_published:
        raise ValidationError({"catalogue": _("只能挂载到已发布的资源目录。")})
    if resource.status != ResourceStatus.PUBLISHED:
        raise ValidationError(_("只有审核通过并发布的接口资源可以挂载。"))
    with transaction.atomic():
        resource.catalogue = catalogue
        resource.internet_url = internet_address(resource)
        resource.save(update_fields=["catalogue", "internet_url", "updated_at"])
        log(module=LogModule.CONFIGURATION, action="挂载接口资源", actor=actor, resource=resource,
            detail=f"{catalogue} → {resource.internet_url}")
    return resource


# --- withdrawal (APP-3.3) ------------------------------------------------------------------------


def withdrawal_request(*, actor, resource: InterfaceResource, reason: str) -> WithdrawalRequest:
    require(actor, MANAGE)
    require_own(actor, resource.organisation_id)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写撤回原因。")})
    if resource.status != ResourceStatus.PUBLISHED:
        raise ValidationError(_("只有已发布的接口资源可以申请撤回。"))
    with transaction.atomic():
        request = WithdrawalRequest.objects.create(resource=resource, reason=reason.strip(), requested_by=actor)
        _set_status(resource, ResourceStatus.WITHDRAWING, actor=actor, action="request_withdrawal", comment=reason)
        log(module=LogModule.MANAGEMENT, action="申请撤回", actor=actor, resource=resource, detail=reason)
    return request


def withdrawal_review(*, actor, withdrawal: WithdrawalRequest, approve: bool, comment: str = "") -> WithdrawalRequest:
    """Approval withdraws the resource and delists every app bound to it; rejection restores it."""
    require(actor, REVIEW)
    require_visible(actor, withdrawal)
    if not approve and not (comment or "").strip():
        raise ValidationError({"comment": _("不同意撤回时必须填写原因。")})
    with transaction.atomic():
        withdrawal = WithdrawalRequest.objects.select_for_update().select_related("resource").get(pk=withdrawal.pk)
        if withdrawal.status != RequestStatus.PENDING:
            raise ValidationError(_("该撤回申请已审核。"))
        resource = withdrawal.resource
        withdrawal.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
        withdrawal.reviewed_by, withdrawal.reviewed_at, withdrawal.review_comment = actor, timezone.now(), comment
        withdrawal.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
        if approve:
            resource.is_listed = False
            _set_status(resource, ResourceStatus.WITHDRAWN, actor=actor, action="approve_withdrawal",
                        comment=comment, extra_fields=("is_listed",))
            from apps.mobile.services.apps import app_delist_for_interface

            apps = MobileApp.objects.filter(bindings__resource=resource, listing_status=ListingStatus.LISTED)
            for app in apps.select_for_update():
                app_delist_for_interface(app=app, resource=resource, actor=actor)
        else:
            _set_status(resource, ResourceStatus.PUBLISHED, actor=actor, action="reject_withdrawal", comment=comment)
        log(module=LogModule.REVIEW, action="撤回审核通过" if approve else "撤回审核不通过", actor=actor,
            resource=resource, detail=comment)
    return withdrawal


# --- subscription (APP-3.5) ----------------------------------------------------------------------


def subscription_request(*, actor, resource: InterfaceResource, purpose: str = "") -> InterfaceSubscription:
    require(actor, "mobile.develop_apps")
    if actor.organisation_id is None:
        raise PermissionDenied(_("您的账号未归属单位，不能订阅接口。"))
    if resource.status != ResourceStatus.PUBLISHED or not (resource.is_public
                                                          or resource.organisation_id == actor.organisation_id):
        raise ValidationError(_("该接口资源不可订阅。"))
    if InterfaceSubscription.objects.filter(organisation_id=actor.organisation_id, resource=resource).exists():
        raise ValidationError(_("本单位已订阅该接口资源。"))
    with transaction.atomic():
        subscription = InterfaceSubscription.objects.create(organisation_id=actor.organisation_id, resource=resource,
                                                            purpose=purpose, requested_by=actor)
        record_transition(obj=subscription, from_state="", to_state=subscription.status, actor=actor,
                          action="subscribe")
        log(module=LogModule.APPLICATION, action="申请订阅", actor=actor, resource=resource,
            detail=f"{actor.organisation} 订阅 {resource}", obj=subscription, audit_action="create")
    return subscription


def subscription_review(*, actor, subscription: InterfaceSubscription, approve: bool,
                        comment: str = "") -> InterfaceSubscription:
    require(actor, REVIEW)
    require_visible(actor, subscription.resource)
    if not approve and not (comment or "").strip():
        raise ValidationError({"comment": _("不通过时必须填写原因。")})
    with transaction.atomic():
        subscription = InterfaceSubscription.objects.select_for_update().get(pk=subscription.pk)
        if subscription.status != RequestStatus.PENDING:
            raise ValidationError(_("该订阅申请已审核。"))
        from_state = subscription.status
        subscription.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
        subscription.reviewed_by, subscription.reviewed_at = actor, timezone.now()
        subscription.review_comment = comment
        subscription.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
        record_transition(obj=subscription, from_state=from_state, to_state=subscription.status, actor=actor,
                          action="approve" if approve else "reject", comment=comment)
        log(module=LogModule.APPLICATION, action="订阅审核通过" if approve else "订阅审核不通过", actor=actor,
            resource=subscription.resource, detail=comment, obj=subscription)
    return subscription
