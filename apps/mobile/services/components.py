"""Component back ends an H5 app calls (APP-2.1 user component, APP-2.4 message component).

The app authenticates with its identifier and key; the user is the one signed in to the platform through
unified identity authentication (apps.identity: the session cookie in the 全省事 WebView, or the
`Authorization: Token` of the app's API client) — no second login exists here.
"""
from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.outbox import enqueue
from apps.mobile.models import AppComponentPermission, MobileApp, PushMessage, UserBinding

PUSH_PEER = "mobile_push"


def require_component(app: MobileApp, code: str) -> None:
    """The app may use the component only when it is open and enabled for the app (APP-5.2, 5.4)."""
    if not AppComponentPermission.objects.filter(app=app, component__code=code, enabled=True,
                                                 component__is_open=True).exists():
        raise PermissionDenied(_("应用未开通该组件权限。"))


def open_id_for(app: MobileApp, user) -> str:
    """A stable per-app user id that does not reveal the platform's user id to the app."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{app.pk}:{user.pk}".encode(), hashlib.sha256).hexdigest()
    return f"u{digest[:31]}"


def user_binding_get(*, app: MobileApp, user) -> UserBinding:
    """Bind the signed-in unified user to the app (first call) and return the binding (APP-2.1)."""
    require_component(app, "user")
    binding = UserBinding.objects.filter(app=app, user=user).first()
    if binding is None:
        with transaction.atomic():
            binding, _created = UserBinding.objects.get_or_create(app=app, user=user,
                                                                  defaults={"open_id": open_id_for(app, user)})
    else:
        binding.save(update_fields=["last_seen_at"])
    return binding


def user_binding_set_account(*, app: MobileApp, user, app_account: str) -> UserBinding:
    """Record the app's own account name for the unified user (user binding)."""
    if not app_account or len(app_account) > 64:
        raise ValidationError({"app_account": _("应用账号应为 1–64 个字符。")})
    binding = user_binding_get(app=app, user=user)
    binding.app_account = app_account
    binding.save(update_fields=["app_account", "last_seen_at"])
    return binding


def user_profile(*, app: MobileApp, user) -> dict:
    """What the user component returns: the unified user as the app may see it (masked sensitive data)."""
    binding = user_binding_get(app=app, user=user)
    return {"open_id": binding.open_id, "app_account": binding.app_account, "name": user.full_name or user.username,
            "user_kind": user.kind, "real_name_level": user.real_name_level,
            "mobile_number": user.masked_mobile_number if user.mobile_number else "",
            "region": user.home_region_id or ""}


def message_push(*, app: MobileApp, open_id: str, title: str, content: str, link: str = "",
                 request_id: str) -> PushMessage:
    """Store a message for a bound user and queue its delivery through the push channel (outbox)."""
    require_component(app, "message")
    errors = {}
    if not (title or "").strip() or len(title) > 64:
        errors["title"] = _("标题应为 1–64 个字符。")
    if not (content or "").strip() or len(content) > 500:
        errors["content"] = _("内容应为 1–500 个字符。")
    if not (request_id or "").strip() or len(request_id) > 64:
        errors["request_id"] = _("请提供 1–64 个字符的请求编号（用于防重）。")
    binding = UserBinding.objects.filter(app=app, open_id=open_id or "").select_related("user").first()
    if binding is None:
        errors["open_id"] = _("该用户未绑定本应用。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        message, created = PushMessage.objects.get_or_create(
            app=app, request_id=request_id,
            defaults={"user": binding.user, "title": title.strip(), "content": content.strip(), "link": link})
        if created:
            enqueue(peer=PUSH_PEER, kind="push", payload={"push_message_id": message.pk},
                    idempotency_key=f"mobile:push:{message.pk}")
    return message
