"""Application writes (APP-4.1 to APP-5.6, APP-9): creation, configuration, bindings, component
permissions, review with detection, listing/delisting and display updates."""
from __future__ import annotations

import hashlib
import hmac
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.workflow import record_transition
from apps.mobile.adapters import probe
from apps.mobile.models import (
    AppComponentPermission, AppInterfaceBinding, AppReview, AppReviewStatus, AppVersion, Channel, Component,
    InterfaceResource, InterfaceSubscription, ListingMode, ListingStatus, LogModule, MobileApp, RequestStatus,
    ResourceStatus,
)
from apps.mobile.services.common import log, require, require_own, require_visible
from apps.mobile.transport import derive_transport_key

DEVELOP = "mobile.develop_apps"
ADMINISTER = "mobile.administer_apps"
APP_FIELDS = ["name", "identifier", "app_type", "encryption_method", "app_form", "introduction", "icon",
              "requires_login", "requires_face", "unified_auth_integrated", "network_environment", "source_package"]
REQUIRED = ["name", "identifier", "app_type", "encryption_method", "app_form", "introduction", "icon",
            "network_environment", "source_package"]
CONFIG_FILES = ["test_report", "requirements_document", "source_package"]


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def app_key_matches(app: MobileApp, key: str) -> bool:
    return bool(key) and hmac.compare_digest(app.key_digest, key_digest(key))


def _set_status(app: MobileApp, field: str, to: str, *, actor, action: str, comment: str = "",
                extra_fields: tuple = ()) -> None:
    from_state = getattr(app, field)
    setattr(app, field, to)
    app.save(update_fields=[field, "updated_at", *extra_fields])
    record_transition(obj=app, from_state=from_state, to_state=to, actor=actor, action=action, comment=comment)


def _owned(actor, app: MobileApp, perm: str = DEVELOP) -> None:
    require(actor, perm)
    require_own(actor, app.organisation_id)


def app_create(*, actor, data: dict, component_codes: list[str] | None = None,
               channel_codes: list[str] | None = None) -> tuple[MobileApp, str]:
    """Create an app with every APP-4.1 field; returns the app and its key (shown once)."""
    require(actor, DEVELOP)
    if actor.organisation_id is None:
        raise PermissionDenied(_("您的账号未归属单位，不能创建应用。"))
    missing = {name: _("此项为必填项。") for name in REQUIRED if data.get(name) in (None, "")}
    for flag in ("requires_login", "requires_face", "unified_auth_integrated"):
        if data.get(flag) is None:
            missing[flag] = _("请选择是或否。")
    if missing:
        raise ValidationError(missing)
    if MobileApp.objects.filter(identifier=data["identifier"]).exists():
        raise ValidationError({"identifier": _("应用标识已被使用。")})
    components = _selectable_components(component_codes or [])
    key = secrets.token_urlsafe(24)
    with transaction.atomic():
        app = MobileApp(organisation_id=actor.organisation_id, developer=actor, key_digest=key_digest(key),
                        transport_key=derive_transport_key(key),
                        **{k: v for k, v in data.items() if k in APP_FIELDS})
        app.full_clean()
        app.save()
        AppVersion.objects.create(app=app, version=app.version, note=_("创建应用"), created_by=actor)
        AppComponentPermission.objects.bulk_create(
            [AppComponentPermission(app=app, component=c, enabled=True) for c in components])
        app.channels.set(Channel.objects.filter(code__in=channel_codes or [], is_enabled=True))
        record_transition(obj=app, from_state="", to_state=app.review_status, actor=actor, action="create")
        log(module=LogModule.BINDING, action="创建应用", actor=actor, app=app, detail=app.name, audit_action="create")
    return app, key


def _selectable_components(codes: list[str]) -> list[Component]:
    """Components a developer may choose: open ones only (APP-5.4)."""
    components = list(Component.objects.filter(code__in=codes))
    closed = [c.name for c in components if not c.is_open]
    unknown = set(codes) - {c.code for c in components}
    if closed or unknown:
        raise ValidationError({"components": _("以下组件未对外开放，不能选择：%(c)s")
                               % {"c": "、".join(closed + sorted(unknown))}})
    return components


def app_regenerate_key(*, actor, app: MobileApp) -> str:
    _owned(actor, app)
    key = secrets.token_urlsafe(24)
    with transaction.atomic():
        app.key_digest, app.transport_key = key_digest(key), derive_transport_key(key)
        app.save(update_fields=["key_digest", "transport_key", "updated_at"])
        log(module=LogModule.CONFIGURATION, action="重置应用密钥", actor=actor, app=app)
    return key


def app_update(*, actor, app: MobileApp, data: dict) -> MobileApp:
    """Modify basic information (APP-4.3)."""
    _owned(actor, app)
    with transaction.atomic():
        for key, value in data.items():
            if key in APP_FIELDS and key != "identifier" and value not in (None, ""):
                setattr(app, key, value)
        app.full_clean()
        app.save()
        log(module=LogModule.CONFIGURATION, action="修改应用信息", actor=actor, app=app, detail=app.name)
    return app


def app_delete(*, actor, app: MobileApp) -> None:
    _owned(actor, app)
    if app.listing_status == ListingStatus.LISTED:
        raise ValidationError(_("已上架的应用不能删除，请先下架。"))
    with transaction.atomic():
        log(module=LogModule.CONFIGURATION, action="删除应用", actor=actor, detail=app.name, obj=app,
            audit_action="delete")
        app.delete()


def app_configure(*, actor, app: MobileApp, data: dict) -> MobileApp:
    """Application configuration (APP-4.2): test report, requirements document, source package, URL and a new
    version number; each upload records a version row."""
    _owned(actor, app)
    if not any(data.get(k) for k in [*CONFIG_FILES, "url", "version"]):
        raise ValidationError(_("请至少上传一个文件或填写应用地址。"))
    with transaction.atomic():
        changed = []
        for key in [*CONFIG_FILES, "url", "version"]:
            if data.get(key):
                setattr(app, key, data[key])
                changed.append(key)
        app.full_clean()
        app.save()
        AppVersion.objects.create(app=app, version=app.version, created_by=actor,
                                  note=data.get("note") or _("应用配置：%(f)s") % {"f": "、".join(changed)})
        log(module=LogModule.CONFIGURATION, action="应用配置", actor=actor, app=app, detail="、".join(changed))
    return app


def app_bind_interface(*, actor, app: MobileApp, resource: InterfaceResource) -> AppInterfaceBinding:
    """Bind an interface to an app: the resource must be published and subscribed by the app's unit
    (the subscription may still be pending; the gateway refuses calls until it is approved)."""
    _owned(actor, app)
    if resource.status != ResourceStatus.PUBLISHED:
        raise ValidationError({"resource": _("只能绑定已发布的接口资源。")})
    if not InterfaceSubscription.objects.filter(organisation_id=app.organisation_id, resource=resource).exclude(
            status=RequestStatus.REJECTED).exists():
        raise ValidationError({"resource": _("请先订阅该接口资源。")})
    if AppInterfaceBinding.objects.filter(app=app, resource=resource).exists():
        raise ValidationError({"resource": _("该接口已绑定。")})
    with transaction.atomic():
        binding = AppInterfaceBinding.objects.create(app=app, resource=resource)
        log(module=LogModule.BINDING, action="绑定接口", actor=actor, app=app, resource=resource,
            detail=f"{app.name} → {resource.code}", obj=binding, audit_action="create")
    return binding


def app_set_component(*, actor, app: MobileApp, component: Component, enabled: bool) -> AppComponentPermission:
    """Admin switches one component permission of an app on or off (APP-5.2)."""
    require(actor, ADMINISTER)
    require_visible(actor, app)
    if enabled and not component.is_open:
        raise ValidationError(_("组件“%(c)s”未对外开放，不能为应用开启。") % {"c": component.name})
    with transaction.atomic():
        permission, _created = AppComponentPermission.objects.select_for_update().get_or_create(
            app=app, component=component, defaults={"enabled": enabled})
        if permission.enabled != enabled:
            permission.enabled = enabled
            permission.save(update_fields=["enabled", "updated_at"])
        log(module=LogModule.CONFIGURATION, action="开启组件权限" if enabled else "关闭组件权限", actor=actor,
            app=app, detail=component.name, obj=permission)
    return permission


def app_request_component(*, actor, app: MobileApp, component: Component) -> AppComponentPermission:
    """A developer chooses a component for the app; closed components cannot be chosen (APP-5.4)."""
    _owned(actor, app)
    _selectable_components([component.code])
    with transaction.atomic():
        permission, _created = AppComponentPermission.objects.get_or_create(app=app, component=component)
        log(module=LogModule.CONFIGURATION, action="选择组件", actor=actor, app=app, detail=component.name,
            obj=permission)
    return permission


def component_set_open(*, actor, component: Component, is_open: bool) -> Component:
    """Admins open or close a component externally (APP-5.4)."""
    require(actor, "mobile.manage_components")
    with transaction.atomic():
        component.is_open = is_open
        component.save(update_fields=["is_open"])
        log(module=LogModule.CONFIGURATION, action="组件对外开放" if is_open else "组件停止对外开放", actor=actor,
            detail=component.name, obj=component)
    return component


# --- review (APP-5.5) ----------------------------------------------------------------------------


def app_submit(*, actor, app: MobileApp) -> MobileApp:
    _owned(actor, app)
    if app.review_status not in {AppReviewStatus.DRAFT, AppReviewStatus.REJECTED}:
        raise ValidationError(_("该应用当前不能提交审核。"))
    missing = [label for label, present in [(_("应用地址"), app.url), (_("源码包"), app.source_package)]
               if not present]
    if missing:
        raise ValidationError(_("提交审核前请先完成应用配置：%(m)s") % {"m": "、".join(missing)})
    with transaction.atomic():
        _set_status(app, "review_status", AppReviewStatus.PENDING, actor=actor, action="submit")
        log(module=LogModule.CONFIGURATION, action="提交应用审核", actor=actor, app=app)
    return app


def app_detect(*, actor, app: MobileApp) -> AppReview:
    """Run the connectivity, security, compatibility and stress checks against the app's URL and store
    the detection report (APP-5.5)."""
    require(actor, ADMINISTER)
    require_visible(actor, app)
    if not app.url:
        raise ValidationError(_("应用未配置地址，无法检测。"))
    report = probe.detect(app.url, identifier=app.identifier)
    report["basic"] = {"name": app.name, "identifier": app.identifier, "version": app.version,
                       "organisation": app.organisation.name, "source_package": bool(app.source_package),
                       "encryption_method": app.get_encryption_method_display()}
    with transaction.atomic():
        review = AppReview.objects.create(
            app=app, url=app.url, reviewer=actor, report=report,
            connectivity_ok=report["connectivity"]["ok"], security_ok=report["security"]["ok"],
            compatibility_ok=report["compatibility"]["ok"], stress_ok=report["stress"]["ok"])
        log(module=LogModule.REVIEW, action="应用检测", actor=actor, app=app,
            detail=f"连通性{_mark(review.connectivity_ok)} 安全{_mark(review.security_ok)} "
                   f"兼容{_mark(review.compatibility_ok)} 压力{_mark(review.stress_ok)}", obj=review,
            audit_action="create")
    return review


def _mark(ok: bool) -> str:
    return "通过" if ok else "未通过"


def app_review_decide(*, actor, app: MobileApp, approve: bool, comment: str = "") -> AppReview:
    """Approve (only with a detection report whose four checks all passed) or reject with a reason."""
    require(actor, ADMINISTER)
    require_visible(actor, app)
    if app.review_status != AppReviewStatus.PENDING:
        raise ValidationError(_("该应用不是待审核状态。"))
    review = app.reviews.order_by("-detected_at", "-pk").first()
    if review is None:
        raise ValidationError(_("请先运行检测，生成检测报告。"))
    if approve and not review.all_passed:
        raise ValidationError(_("检测未全部通过，不能审核通过。"))
    if not approve and not (comment or "").strip():
        raise ValidationError({"comment": _("退回时必须填写审核意见。")})
    with transaction.atomic():
        review.decision, review.comment, review.decided_at = ("approve" if approve else "reject"), comment, timezone.now()
        review.reviewer = actor
        review.save(update_fields=["decision", "comment", "decided_at", "reviewer"])
        _set_status(app, "review_status", AppReviewStatus.APPROVED if approve else AppReviewStatus.REJECTED,
                    actor=actor, action="approve" if approve else "reject", comment=comment)
        log(module=LogModule.REVIEW, action="应用审核通过" if approve else "应用审核退回", actor=actor, app=app,
            detail=comment)
    return review


# --- listing (APP-5.6) ---------------------------------------------------------------------------


def app_set_listing(*, actor, app: MobileApp, listed: bool, reason: str = "") -> MobileApp:
    """Manual list/delist by an admin; only approved apps can be listed."""
    require(actor, ADMINISTER)
    require_visible(actor, app)
    if listed and app.review_status != AppReviewStatus.APPROVED:
        raise ValidationError(_("只有审核通过的应用可以上架。"))
    to = ListingStatus.LISTED if listed else ListingStatus.DELISTED
    if app.listing_status == to:
        raise ValidationError(_("应用已是“%(s)s”状态。") % {"s": app.get_listing_status_display()})
    with transaction.atomic():
        app.delist_reason = "" if listed else (reason or _("管理员手动下架"))
        _set_status(app, "listing_status", to, actor=actor, action="list" if listed else "delist",
                    comment=reason, extra_fields=("delist_reason",))
        log(module=LogModule.CONFIGURATION, action="应用上架" if listed else "应用下架", actor=actor, app=app,
            detail=reason)
    return app


def app_set_mode(*, actor, app: MobileApp, mode: str) -> MobileApp:
    require(actor, ADMINISTER)
    require_visible(actor, app)
    if mode not in ListingMode.values:
        raise ValidationError({"listing_mode": _("上下架方式无效。")})
    with transaction.atomic():
        app.listing_mode = mode
        app.save(update_fields=["listing_mode", "updated_at"])
        log(module=LogModule.CONFIGURATION, action="设置上下架方式", actor=actor, app=app,
            detail=app.get_listing_mode_display())
    return app


def app_update_display(*, actor, app: MobileApp, url: str | None = None, display_title: str | None = None,
                       display_icon=None) -> MobileApp:
    """Admins update link, display title and icon (APP-5.6); the channel API returns them at once."""
    require(actor, ADMINISTER)
    require_visible(actor, app)
    with transaction.atomic():
        fields = []
        for name, value in (("url", url), ("display_title", display_title), ("display_icon", display_icon)):
            if value not in (None, ""):
                setattr(app, name, value)
                fields.append(name)
        if not fields:
            raise ValidationError(_("请填写要更新的链接、标题或图标。"))
        app.full_clean()
        app.save(update_fields=[*fields, "updated_at"])
        log(module=LogModule.CONFIGURATION, action="更新展示信息", actor=actor, app=app, detail="、".join(fields))
    return app


def app_set_channels(*, actor, app: MobileApp, channel_codes: list[str]) -> MobileApp:
    """Output channels (APP-9): one onboarding, many platforms."""
    if actor.has_perm(ADMINISTER):
        require_visible(actor, app)
    else:
        _owned(actor, app)
    with transaction.atomic():
        app.channels.set(Channel.objects.filter(code__in=channel_codes, is_enabled=True))
        log(module=LogModule.CONFIGURATION, action="设置输出渠道", actor=actor, app=app,
            detail="、".join(channel_codes))
    return app


def app_delist_for_interface(*, app: MobileApp, resource: InterfaceResource, actor) -> None:
    """Cascade of an approved withdrawal (APP-3.3): delist an app calling the withdrawn resource."""
    app.delist_reason = _("所调用的接口资源“%(r)s”已撤回") % {"r": resource.name}
    _set_status(app, "listing_status", ListingStatus.DELISTED, actor=actor, action="delist",
                comment=app.delist_reason, extra_fields=("delist_reason",))
    log(module=LogModule.BINDING, action="接口撤回下架应用", actor=actor, app=app, resource=resource,
        detail=app.delist_reason)
