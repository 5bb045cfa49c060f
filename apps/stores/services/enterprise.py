"""Enterprise-exclusive service space (STORE-2.d, decision 0810).

* 企业服务码: a daily digital credential `<USCC>-<YYYYMMDD>-<12 hex of HMAC-SM3>`, verified by recomputing.
* Policy subscription by enterprise type: the tags departments linked to the enterprise's type are
  subscribed through apps.matters' own policy subscriptions.
* Message reminders (four kinds) are pulled from the platform's records — case state changes of the
  enterprise's cases (core workflow history), valid and soon-expiring licences whose holder code is the
  enterprise's USCC, published policies in its subscription feed, rectification feedback to its bad
  reviews — and written once each (`source_key`), so refreshing is idempotent and no other app has to
  know about stores."""
from __future__ import annotations

import hmac
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.crypto import hmac_sm3_hex, keyed_digest
from apps.stores.models import EnterpriseMessage, EnterpriseTypePolicyTag, MessageKind, ServiceSubscription

EXPIRY_WARNING_DAYS = 30


def require_enterprise(user) -> None:
    from apps.identity.models import UserKind

    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    if getattr(user, "kind", "") != UserKind.LEGAL_PERSON or not getattr(user, "credit_code", ""):
        raise PermissionDenied(_("企业专属服务空间仅供法人（企业）用户使用。"))


def _mac(credit_code: str, day: date) -> str:
    from apps.core.crypto import digest_key

    return hmac_sm3_hex(digest_key(), f"esc:{credit_code}:{day:%Y%m%d}".encode())[:12].upper()


def enterprise_service_code(*, user, day: date | None = None) -> str:
    require_enterprise(user)
    day = day or timezone.localdate()
    return f"{user.credit_code}-{day:%Y%m%d}-{_mac(user.credit_code, day)}"


def enterprise_service_code_verify(*, code: str, today: date | None = None):
    """The enterprise a code was issued to, if it is genuine and today's; else ValidationError."""
    from apps.identity.models import User, UserKind

    parts = (code or "").strip().upper().split("-")
    today = today or timezone.localdate()
    if len(parts) != 3 or parts[1] != f"{today:%Y%m%d}" or not hmac.compare_digest(parts[2], _mac(parts[0], today)):
        raise ValidationError({"code": _("企业服务码无效或已过期。")})
    enterprise = User.objects.filter(kind=UserKind.LEGAL_PERSON, credit_code=parts[0], is_active=True).first()
    if enterprise is None:
        raise ValidationError({"code": _("企业服务码无效或已过期。")})
    return enterprise


def enterprise_policy_subscribe(*, user) -> list:
    """Subscribe the enterprise to every policy tag linked to its enterprise type (matters subscriptions)."""
    from apps.matters.services.policies import policy_subscribe

    require_enterprise(user)
    links = list(EnterpriseTypePolicyTag.objects.filter(enterprise_type=user.enterprise_type).select_related("tag"))
    if not links:
        raise ValidationError(_("暂无与贵单位法人类型对应的政策订阅。"))
    with transaction.atomic():
        return [policy_subscribe(user=user, tag=link.tag).tag for link in links]


def enterprise_service_subscribe(*, user, service, subscribe: bool = True) -> None:
    require_enterprise(user)
    if not service.is_published:
        raise ValidationError(_("该服务未发布。"))
    if subscribe:
        ServiceSubscription.objects.get_or_create(enterprise=user, service=service)
    else:
        ServiceSubscription.objects.filter(enterprise=user, service=service).delete()


def _case_messages(user) -> list[EnterpriseMessage]:
    from django.contrib.contenttypes.models import ContentType

    from apps.acceptance.models import Case, CaseStatus
    from apps.core.models import StateTransition

    cases = {str(pk): number for pk, number in Case.objects.filter(applicant=user).values_list("pk", "case_number")}
    if not cases:
        return []
    labels = dict(CaseStatus.choices)
    rows = (StateTransition.objects.filter(content_type=ContentType.objects.get_for_model(Case),
                                           object_id__in=list(cases)).order_by("id"))
    return [EnterpriseMessage(enterprise=user, kind=MessageKind.CASE_PROGRESS, source_key=f"case:{t.pk}",
                              title=_("办件%(n)s：%(s)s") % {"n": cases[t.object_id], "s": labels.get(t.to_state, t.to_state)},
                              body=t.comment[:500]) for t in rows]


def _licence_messages(user) -> list[EnterpriseMessage]:
    from apps.licences.models import Licence, LicenceStatus

    today = timezone.localdate()
    out = []
    for licence in Licence.objects.filter(holder_code_digest=keyed_digest(user.credit_code),
                                          status=LicenceStatus.VALID).order_by("id"):
        out.append(EnterpriseMessage(enterprise=user, kind=MessageKind.LICENCE, source_key=f"licence:{licence.pk}",
                                     title=_("“%(n)s”已发放到企业证照夹") % {"n": licence.name},
                                     body=_("有效期至 %(d)s") % {"d": licence.valid_until or _("长期")}))
        if licence.valid_until and licence.valid_until <= today + timedelta(days=EXPIRY_WARNING_DAYS):
            out.append(EnterpriseMessage(enterprise=user, kind=MessageKind.LICENCE,
                                         source_key=f"licence-expiring:{licence.pk}",
                                         title=_("“%(n)s”将于 %(d)s 到期，请及时办理延续") % {
                                             "n": licence.name, "d": licence.valid_until}))
    return out


def _policy_messages(user) -> list[EnterpriseMessage]:
    from apps.matters.services.policies import subscription_feed

    return [EnterpriseMessage(enterprise=user, kind=MessageKind.POLICY, source_key=f"policy:{p.pk}",
                              title=_("新政策：%(t)s") % {"t": p.title}, link=p.get_absolute_url())
            for p in subscription_feed(user=user)[:50]]


def _feedback_messages(user) -> list[EnterpriseMessage]:
    from apps.reviews.models import BadReviewDisposal

    rows = (BadReviewDisposal.objects.filter(evaluation__evaluator=user, feedback_at__isnull=False)
            .select_related("service_department"))
    return [EnterpriseMessage(enterprise=user, kind=MessageKind.FEEDBACK, source_key=f"feedback:{d.pk}",
                              title=_("%(o)s已对您的评价作出整改反馈") % {"o": d.service_department.name},
                              body=d.feedback[:500]) for d in rows]


def enterprise_messages_refresh(*, user) -> int:
    """Write the reminders not written yet; returns how many are new."""
    require_enterprise(user)
    candidates = [*_case_messages(user), *_licence_messages(user), *_policy_messages(user), *_feedback_messages(user)]
    if not candidates:
        return 0
    known = set(EnterpriseMessage.objects.filter(enterprise=user, source_key__in=[m.source_key for m in candidates])
                .values_list("source_key", flat=True))
    new = [m for m in candidates if m.source_key not in known]
    EnterpriseMessage.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def enterprise_message_read(*, user, message_id: int) -> None:
    updated = EnterpriseMessage.objects.filter(enterprise=user, pk=message_id, read_at__isnull=True) \
        .update(read_at=timezone.now())
    if not updated and not EnterpriseMessage.objects.filter(enterprise=user, pk=message_id).exists():
        raise PermissionDenied(_("消息不存在。"))


def message_link(message: EnterpriseMessage) -> str:
    return message.link or reverse("stores-public:enterprise")
