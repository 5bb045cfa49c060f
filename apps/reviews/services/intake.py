"""Channel helpers: dynamic QR tokens, SMS reminders, default evaluations (REV-16.6, 18.x, 23.9)."""
from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.services.sms import sms_send
from apps.reviews.models import (
    Evaluation, EvaluationChannel, EvaluationReminder, EvaluationSettings, ObjectKind,
)

logger = logging.getLogger(__name__)
QR_SALT = "reviews.dynamic-qr"


def dynamic_qr_token(*, case, hours: int | None = None) -> str:
    """Signed token of a case with its expiry (printed on the receipt)."""
    hours = hours or EvaluationSettings.current().dynamic_qr_valid_hours
    expires = int((timezone.now() + timedelta(hours=hours)).timestamp())
    return signing.dumps({"c": case.pk, "e": expires}, salt=QR_SALT, compress=True)


def case_from_dynamic_qr(token: str):
    from apps.acceptance.models import Case

    try:
        data = signing.loads(token, salt=QR_SALT)
    except signing.BadSignature:
        raise ValidationError(_("二维码无效，请使用办事回执单上的二维码。")) from None
    if int(data.get("e", 0)) < timezone.now().timestamp():
        raise ValidationError(_("二维码已过期，请通过政务服务网输入办件编号评价。"))
    case = Case.objects.select_related("item", "region", "organisation").filter(pk=data.get("c")).first()
    if case is None:
        raise ValidationError(_("二维码无效，请使用办事回执单上的二维码。"))
    return case


def concluded_unrated_cases(*, older_than_days: int):
    from apps.acceptance.models import Case

    cutoff = timezone.now() - timedelta(days=older_than_days)
    return (Case.objects.filter(status="concluded", concluded_at__lte=cutoff)
            .exclude(evaluations__isnull=False).select_related("item", "region", "organisation"))


def reminders_send(*, base_url: str = "") -> int:
    """REV-18.x: one SMS per concluded, unrated case older than the reminder days, with the item
    name, item code and a unique link (no case number to enter)."""
    settings_row = EvaluationSettings.current()
    sent = 0
    rows = concluded_unrated_cases(older_than_days=settings_row.reminder_after_days).filter(
        evaluation_reminder__isnull=True)
    for case in rows.iterator(chunk_size=200):
        mobile = case.applicant_mobile
        if not mobile:
            continue
        with transaction.atomic():
            token = secrets.token_urlsafe(24)
            reminder = EvaluationReminder.objects.create(case=case, token=token)
            link = base_url + reverse("reviews-public:sms", args=[token])
            content = _("【黑龙江政务服务网】您办理的“%(name)s”（事项编码%(code)s）已办结，请点击评价：%(link)s") % {
                "name": case.item.name, "code": case.item.implementation_code, "link": link}
            reminder.sms = sms_send(mobile_number=mobile, content=content, purpose="reviews_reminder",
                                    idempotency_key=f"reviews:reminder:{case.pk}", recipient=case.applicant)
            reminder.save(update_fields=["sms"])
        sent += 1
    return sent


def defaults_apply() -> int:
    """REV-14.5/23.9: cases still unrated after the configured days get the configured default level."""
    from apps.reviews.services.evaluations import EvaluationInput, evaluation_submit

    settings_row = EvaluationSettings.current()
    done = 0
    for case in concluded_unrated_cases(older_than_days=settings_row.default_after_days).iterator(chunk_size=200):
        try:
            evaluation_submit(data=EvaluationInput(
                object_kind=ObjectKind.CASE, channel=_default_channel(case), level=settings_row.default_level,
                case=case, is_default=True, require_tags=False, evaluator_name=str(_("系统默认"))))
        except ValidationError as exc:  # evaluated meanwhile
            logger.info("default evaluation of case %s skipped: %s", case.pk, exc)
            continue
        done += 1
    return done


def _default_channel(case) -> str:
    return {"window": EvaluationChannel.HALL, "app": EvaluationChannel.APP, "mini_program": EvaluationChannel.APP,
            "self_service_terminal": EvaluationChannel.SELF_SERVICE_TERMINAL}.get(case.channel, EvaluationChannel.PC)


def reminder_case(token: str):
    reminder = EvaluationReminder.objects.select_related("case__item", "case__region", "case__organisation").filter(
        token=token).first()
    if reminder is None:
        raise ValidationError(_("评价链接无效。"))
    return reminder.case


def case_is_evaluated(case) -> bool:
    return Evaluation.objects.filter(case=case).exists()
