"""Evaluation intake: every channel ends in `evaluation_submit` (REV-14.x, 16.x, 17.x, 23.4, 23.8).

Checks (each refusal is a ValidationError with a Chinese message; nothing is written):
level 1–5; tags belong to the level and are mandatory for the two bad levels; a case is
concluded and evaluated only once (unique constraint (case, channel) plus a check across
channels); the window-QR daily limit. Follow-ups in the same transaction: the bad-review
disposal, the hotline work order, publication review and the national report (outbox).
After commit: on-event quality rules and the incremental statistics refresh (Celery).
"""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.outbox import enqueue
from apps.reviews.models import (
    BAD_LEVELS, Evaluation, EvaluationChannel, EvaluationLevel, EvaluationSettings, EvaluationTag,
    EvaluatorBlacklistEntry, ObjectKind, PublicationStatus, SensitiveWord,
)

logger = logging.getLogger(__name__)

NATIONAL_PEER = "reviews_national"
HOTLINE_PEER = "reviews_hotline"
DUPLICATE_MESSAGE = "该办件已评价，同一办件不能重复评价，已完成的评价也不能修改。"


@dataclass
class EvaluationInput:
    """What a channel collected; objects are model instances already looked up by the channel."""

    object_kind: str
    channel: str
    level: object
    tags: list = field(default_factory=list)
    indicators: list = field(default_factory=list)
    comment: str = ""
    case: object = None
    matter: object = None
    hall: object = None
    window: object = None
    staff: object = None
    evaluator: object = None
    evaluator_name: str = ""
    is_anonymous: bool = False
    client: object = None
    external_id: str = ""
    evaluated_at: datetime | None = None
    is_default: bool = False
    require_tags: bool = True


def new_evaluation_number(now: datetime) -> str:
    return f"PJ{timezone.localtime(now):%Y%m%d}{secrets.token_hex(6).upper()}"


def clean_level(value) -> int:
    try:
        level = int(value)
    except (TypeError, ValueError):
        level = 0
    if isinstance(value, bool) or level not in EvaluationLevel.values or str(value).strip() != str(level):
        raise ValidationError({"level": _("评价等级必须是 1–5 之间的整数（1 非常满意 … 5 非常不满意）。")})
    return level


def _clean_tags(data: EvaluationInput, level: int, tag_cache: dict | None) -> list[str]:
    names = [str(t).strip() for t in (data.tags or []) if str(t).strip()]
    key = (data.object_kind, level)
    if tag_cache is not None and key in tag_cache:
        allowed = tag_cache[key]
    else:
        allowed = {}
        for tag in EvaluationTag.objects.filter(object_kind=data.object_kind, level=level, is_enabled=True):
            allowed[tag.name] = tag.name
            if tag.national_code:
                allowed[tag.national_code] = tag.name
        if tag_cache is not None:
            tag_cache[key] = allowed
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise ValidationError({"tags": _("标签与所选评价等级不符：%(t)s") % {"t": "、".join(unknown)}})
    if level in BAD_LEVELS and data.require_tags and not names:
        raise ValidationError({"tags": _("选择“不满意”或“非常不满意”时，请至少选择一个具体意见标签。")})
    return sorted({allowed[n] for n in names})


def _place(data: EvaluationInput):
    """(region, organisation) of the evaluated object."""
    if data.case is not None:
        return data.case.region, data.case.organisation
    if data.staff is not None:
        return data.staff.hall.region, data.staff.department or data.staff.hall.organisation
    if data.window is not None:
        return data.window.hall.region, data.window.hall.organisation
    if data.hall is not None:
        return data.hall.region, data.hall.organisation
    if data.matter is not None:
        return data.matter.region, data.matter.handling_department
    raise ValidationError(_("请指明评价对象（办件、事项、大厅、窗口或人员）。"))


def _check_object(data: EvaluationInput) -> None:
    if data.object_kind not in ObjectKind.values:
        raise ValidationError({"object_kind": _("评价对象类型无效。")})
    if data.channel not in EvaluationChannel.values:
        raise ValidationError({"channel": _("评价渠道无效。")})
    required = {ObjectKind.CASE: data.case, ObjectKind.HALL: data.hall, ObjectKind.WINDOW: data.window,
                ObjectKind.STAFF: data.staff, ObjectKind.MATTER: data.matter, ObjectKind.SERVICE_GUIDE: data.matter}
    if required[data.object_kind] is None:
        raise ValidationError(_("缺少被评价的对象。"))
    if data.case is not None:
        if data.case.status != "concluded":
            raise ValidationError({"case": _("办件尚未办结，暂不能评价。")})
        if Evaluation.objects.filter(case=data.case).exists():
            raise ValidationError({"case": _(DUPLICATE_MESSAGE)})


def _check_daily_limit(data: EvaluationInput, settings_row: EvaluationSettings, now: datetime) -> None:
    if data.channel != EvaluationChannel.QR or data.evaluator is None or data.case is not None:
        return
    target = {"window": data.window} if data.window is not None else (
        {"staff": data.staff} if data.staff is not None else {"hall": data.hall})
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    done = Evaluation.objects.filter(evaluator=data.evaluator, channel=EvaluationChannel.QR,
                                     evaluated_at__gte=start, case__isnull=True, **target).count()
    if done >= settings_row.window_qr_daily_limit:
        raise ValidationError(_("您今天已通过二维码评价过该对象 %(n)s 次，已达每日上限。")
                              % {"n": done})


def sensitive_words_in(text: str) -> list[str]:
    if not text:
        return []
    return [w for w in SensitiveWord.objects.values_list("word", flat=True) if w in text]


def _publication_status(comment: str, settings_row: EvaluationSettings, words: list[str]) -> str:
    if not comment.strip():
        return PublicationStatus.NOT_NEEDED
    if words or len(comment.strip()) >= settings_row.publication_min_chars:
        return PublicationStatus.PENDING
    return PublicationStatus.PUBLISHED


def _build(data: EvaluationInput, *, settings_row, now, tag_cache=None) -> Evaluation:
    level = clean_level(data.level)
    _check_object(data)
    tags = _clean_tags(data, level, tag_cache)
    comment = (data.comment or "").strip()
    if len(comment) > 1000:
        raise ValidationError({"comment": _("评价内容不能超过 1000 字。")})
    _check_daily_limit(data, settings_row, now)
    region, organisation = _place(data)
    evaluator = data.evaluator if data.evaluator is not None and data.evaluator.is_authenticated else None
    name = data.evaluator_name or (evaluator.get_full_name() or evaluator.username if evaluator else "")
    matter = data.matter or (data.case.item if data.case is not None else None)
    return Evaluation(
        evaluation_number=new_evaluation_number(now), object_kind=data.object_kind, channel=data.channel,
        level=level, tags=tags, indicators=list(data.indicators or []), comment=comment, case=data.case,
        matter=matter, hall=data.hall or (data.case.hall if data.case else None) or (
            data.window.hall if data.window else None) or (data.staff.hall if data.staff else None),
        window=data.window or (data.case.window if data.case else None), staff=data.staff or (
            data.case.window_staff if data.case else None),
        region=region, organisation=organisation, evaluator=evaluator, evaluator_name=name[:64],
        is_anonymous=data.is_anonymous, client=data.client, external_id=data.external_id or "",
        is_default=data.is_default, evaluated_at=data.evaluated_at or now,
        is_blacklisted=bool(evaluator and EvaluatorBlacklistEntry.objects.filter(user=evaluator).exists()),
        publication_status=_publication_status(comment, settings_row, sensitive_words_in(comment)))


def national_payload(evaluation: Evaluation) -> dict:
    return {"evaluation_number": evaluation.evaluation_number, "object_kind": evaluation.object_kind,
            "channel": evaluation.channel, "level": evaluation.level, "tags": evaluation.tags,
            "comment": evaluation.comment, "region_code": evaluation.region_id,
            "department": evaluation.organisation.name,
            "case_number": evaluation.case.case_number if evaluation.case_id else "",
            "matter_code": evaluation.matter.implementation_code if evaluation.matter_id else "",
            "is_default": evaluation.is_default,
            "evaluated_at": evaluation.evaluated_at.isoformat()}


def _follow_ups(evaluations: list[Evaluation]) -> None:
    from apps.reviews.services.disposals import disposal_create
    from apps.reviews.services.hotline import hotline_order_create

    for evaluation in evaluations:
        if evaluation.is_bad_review and not evaluation.is_default:
            disposal_create(evaluation=evaluation)
            if evaluation.channel != EvaluationChannel.HOTLINE:
                hotline_order_create(evaluation=evaluation)
    first = evaluations[0]
    enqueue(peer=NATIONAL_PEER, kind="evaluations",
            payload={"evaluations": [national_payload(e) for e in evaluations]},
            idempotency_key=f"evaluations:{first.evaluation_number}:{len(evaluations)}", region=first.region)
    ids = [e.pk for e in evaluations]
    transaction.on_commit(lambda: after_commit(ids))


def after_commit(ids: list[int]) -> None:
    """Queue the on-event quality rules and the statistics refresh; a broker outage is logged:
    the evaluations are committed and the beat sweep picks them up (never lost)."""
    from apps.reviews.tasks import aggregate_pending, quality_on_event

    try:
        quality_on_event.apply_async(args=[ids], queue="sync", retry=False)
        aggregate_pending.apply_async(queue="sync", retry=False)
    except Exception as exc:  # noqa: BLE001 — broker down: the sweep catches up
        logger.warning("reviews: follow-up tasks for %s evaluations not queued (%s)", len(ids), exc)


def evaluation_submit(*, data: EvaluationInput) -> Evaluation:
    """Write one evaluation from any channel (see the module docstring)."""
    return evaluations_submit_batch(items=[data])[0]


def evaluations_submit_batch(*, items: list[EvaluationInput]) -> list[Evaluation]:
    """All-or-nothing write of several evaluations (integrator uploads); one national message."""
    if not items:
        raise ValidationError(_("没有要提交的评价。"))
    now = timezone.now()
    settings_row = EvaluationSettings.current()
    tag_cache: dict = {}
    built = [_build(item, settings_row=settings_row, now=now, tag_cache=tag_cache) for item in items]
    cases = [e.case_id for e in built if e.case_id]
    if len(cases) != len(set(cases)):
        raise ValidationError({"case": _(DUPLICATE_MESSAGE)})
    try:
        with transaction.atomic():
            created = Evaluation.objects.bulk_create(built)
            _follow_ups(created)
    except IntegrityError as exc:
        if "rev_one_evaluation_per_case_channel" in str(exc):
            raise ValidationError({"case": _(DUPLICATE_MESSAGE)}) from None
        if "rev_client_external_id_uniq" in str(exc):
            raise ValidationError({"external_id": _("该接入方评价标识已上传过。")}) from None
        raise
    return created


def evaluation_form_context(object_kind: str) -> dict:
    """Tags per level for an evaluation page (no tag preselected; REV-17.2)."""
    tags: dict[int, list[str]] = {level: [] for level in EvaluationLevel.values}
    for tag in EvaluationTag.objects.filter(object_kind=object_kind, is_enabled=True):
        tags[tag.level].append(tag.name)
    return {"levels": EvaluationLevel.choices, "tags_by_level": tags}
