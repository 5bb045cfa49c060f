"""Monitoring big screens (OPS-12.1): an administrator's own screens; nobody else sees or changes them."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import AuditAction, audit_record
from apps.ops.models import MonitoringScreen
from apps.ops.screens import MODULES, WIDTHS
from apps.ops.services import require

MAX_MODULES = 12
LOGO_TYPES = {"PNG", "JPEG", "GIF", "WEBP"}
LOGO_MAX_BYTES = 512 * 1024


def validate_layout(layout) -> list[dict]:
    if not isinstance(layout, list):
        raise ValidationError({"layout": _("布局格式无效。")})
    if len(layout) > MAX_MODULES:
        raise ValidationError({"layout": _("一个大屏最多放 %(n)s 个模块。") % {"n": MAX_MODULES}})
    cleaned = []
    for item in layout:
        if not isinstance(item, dict) or item.get("module") not in MODULES:
            raise ValidationError({"layout": _("未知的模块：%(m)s") % {"m": (item or {}).get("module")
                                                                   if isinstance(item, dict) else item}})
        width = item.get("width", 1)
        if width not in WIDTHS:
            raise ValidationError({"layout": _("模块宽度只能是 1、2 或 3 栏。")})
        cleaned.append({"module": item["module"], "width": width})
    return cleaned


def validate_logo(logo) -> None:
    if not logo:
        return
    if logo.size > LOGO_MAX_BYTES:
        raise ValidationError({"logo": _("标识图片不能超过 512KB。")})
    from PIL import Image, UnidentifiedImageError

    try:
        logo.seek(0)
        with Image.open(logo) as image:
            kind = image.format
        logo.seek(0)
    except (UnidentifiedImageError, OSError):
        raise ValidationError({"logo": _("标识必须是 PNG、JPEG、GIF 或 WebP 图片。")}) from None
    if kind not in LOGO_TYPES:
        raise ValidationError({"logo": _("标识必须是 PNG、JPEG、GIF 或 WebP 图片。")})


def screen_save(*, by, title: str, layout, logo=None, refresh_seconds: int = 60,
                screen: MonitoringScreen | None = None) -> MonitoringScreen:
    require(by, "ops.use_screens")
    if screen is not None and screen.owner_id != by.pk:
        raise ValidationError(_("只能修改自己的大屏。"))
    if not (title or "").strip():
        raise ValidationError({"title": _("请填写大屏标题。")})
    if not 10 <= int(refresh_seconds) <= 3600:
        raise ValidationError({"refresh_seconds": _("刷新间隔为 10–3600 秒。")})
    cleaned = validate_layout(layout)
    validate_logo(logo)
    with transaction.atomic():
        created = screen is None
        screen = screen or MonitoringScreen(owner=by)
        screen.title, screen.layout, screen.refresh_seconds = title.strip()[:60], cleaned, int(refresh_seconds)
        if logo:
            screen.logo = logo
        screen.save()
        audit_record(actor=by, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=screen,
                     changes={"layout": [None, cleaned]})
    return screen
