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
from apps.reviews.convenient import clean_indicators
from apps.reviews.convenient import form_context as convenient_form
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
    evaluator_id_number: str = ""  # integrators only: hashed into the national certKey, never stored
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


def _tag_map(object_kind: str, level: int, batch: BatchContext | None) -> dict[str, tuple[str, str]]:
    """Name or national code → (name, national code) of the enabled tags of one kind and level;
    a batch reads all levels of a kind in one query."""
    if batch is not None and (object_kind, level) in batch.tags:
        return batch.tags[(object_kind, level)]
    by_level: dict[int, dict[str, tuple[str, str]]] = {value: {} for value in EvaluationLevel.values}
    for tag in EvaluationTag.objects.filter(object_kind=object_kind, is_enabled=True):
        allowed = by_level.setdefault(tag.level, {})
        allowed[tag.name] = (tag.name, tag.national_code)
        if tag.national_code:
            allowed[tag.national_code] = (tag.name, tag.national_code)
    if batch is not None:
        batch.tags.update({(object_kind, lvl): allowed for lvl, allowed in by_level.items()})
    return by_level.get(level, {})


def _clean_tags(data: EvaluationInput, level: int, batch: BatchContext | None) -> tuple[list[str], list[str]]:
    """The tag names (sorted) and their national codes (国办编码) of one evaluation."""
    names = [str(t).strip() for t in (data.tags or []) if str(t).strip()]
    allowed = _tag_map(data.object_kind, level, batch)
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise ValidationError({"tags": _("标签与所选评价等级不符：%(t)s") % {"t": "、".join(unknown)}})
    if level in BAD_LEVELS and data.require_tags and not names:
        raise ValidationError({"tags": _("选择“不满意”或“非常不满意”时，请至少选择一个具体意见标签。")})
    chosen = sorted({allowed[n] for n in names})
    return [name for name, _code in chosen], [code for _name, code in chosen if code]


def _supplied_identity(data: EvaluationInput, name: str) -> tuple[str, str] | None:
    """(userPageType, certKey) from an ID number an integrator sent with the row; the number is
    checked, hashed with the name and dropped (decision 0606)."""
    number = (data.evaluator_id_number or "").strip().upper()
    if not number:
        return None
    from apps.core.validators import validate_id_number
    from apps.reviews.adapters.national import CERT_TYPE_ID_CARD, cert_key

    try:
        validate_id_number(number)
    except ValidationError:
        raise ValidationError({"evaluator_id_number": _("评价人身份证号码格式不正确。")}) from None
    if not name.strip():
        raise ValidationError({"evaluator_name": _("提供评价人证件号码时须同时提供评价人姓名。")})
    return CERT_TYPE_ID_CARD, cert_key(number, name)


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


def _check_object(data: EvaluationInput, batch: BatchContext) -> None:
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
        if data.case.pk in batch.evaluated_case_ids:
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


def sensitive_words_in(text: str, words: list[str] | None = None) -> list[str]:
    if not text:
        return []
    if words is None:
        words = list(SensitiveWord.objects.values_list("word", flat=True))
    return [w for w in words if w in text]


def _publication_status(comment: str, settings_row: EvaluationSettings, words: list[str]) -> str:
    if not comment.strip():
        return PublicationStatus.NOT_NEEDED
    if words or len(comment.strip()) >= settings_row.publication_min_chars:
        return PublicationStatus.PENDING
    return PublicationStatus.PUBLISHED


@dataclass
class BatchContext:
    """What a batch reads once, whatever its size: settings, tags, sensitive words, which of its
    cases are already evaluated and which of its evaluators are blacklisted."""

    settings_row: EvaluationSettings
    now: datetime
    evaluated_case_ids: set = field(default_factory=set)
    blacklisted_ids: set = field(default_factory=set)
    tags: dict = field(default_factory=dict)
    _words: list | None = None

    @classmethod
    def load(cls, items: list[EvaluationInput]) -> BatchContext:
        case_ids = {i.case.pk for i in items if i.case is not None}
        users = {i.evaluator.pk for i in items if i.evaluator is not None and i.evaluator.is_authenticated}
        return cls(
            settings_row=EvaluationSettings.current(), now=timezone.now(),
            evaluated_case_ids=set(Evaluation.objects.filter(case_id__in=case_ids).values_list("case_id", flat=True))
            if case_ids else set(),
            blacklisted_ids=set(EvaluatorBlacklistEntry.objects.filter(user_id__in=users).values_list(
                "user_id", flat=True)) if users else set())

    @property
    def words(self) -> list[str]:
        if self._words is None:
            self._words = list(SensitiveWord.objects.values_list("word", flat=True))
        return self._words


def _build(data: EvaluationInput, *, batch: BatchContext) -> Evaluation:
    level = clean_level(data.level)
    _check_object(data, batch)
    tags, tag_codes = _clean_tags(data, level, batch)
    indicators = clean_indicators(data.indicators, object_kind=data.object_kind, channel=data.channel)
    comment = (data.comment or "").strip()
    if len(comment) > 1000:
        raise ValidationError({"comment": _("评价内容不能超过 1000 字。")})
    _check_daily_limit(data, batch.settings_row, batch.now)
    region, organisation = _place(data)
    evaluator = data.evaluator if data.evaluator is not None and data.evaluator.is_authenticated else None
    name = data.evaluator_name or (evaluator.get_full_name() or evaluator.username if evaluator else "")
    matter = data.matter or (data.case.item if data.case is not None else None)
    evaluation = Evaluation(
        evaluation_number=new_evaluation_number(batch.now), object_kind=data.object_kind, channel=data.channel,
        level=level, tags=tags, indicators=indicators, comment=comment, case=data.case,
        matter=matter, hall=data.hall or (data.case.hall if data.case else None) or (
            data.window.hall if data.window else None) or (data.staff.hall if data.staff else None),
        window=data.window or (data.case.window if data.case else None), staff=data.staff or (
            data.case.window_staff if data.case else None),
        region=region, organisation=organisation, evaluator=evaluator, evaluator_name=name[:64],
        is_anonymous=data.is_anonymous, client=data.client, external_id=data.external_id or "",
        is_default=data.is_default, evaluated_at=data.evaluated_at or batch.now,
        is_blacklisted=bool(evaluator and evaluator.pk in batch.blacklisted_ids),
        publication_status=_publication_status(comment, batch.settings_row,
                                               sensitive_words_in(comment, batch.words) if comment else []))
    evaluation.tag_codes = tag_codes  # for the national record (evalDetail); not a column
    evaluation.identity = _supplied_identity(data, name)  # for the national record (certKey); not a column
    return evaluation


def national_payload(evaluation: Evaluation) -> dict:
    """The evaluation in the national 好差评 interface's field set (adapters/national.py)."""
    from apps.reviews.adapters.national import national_evaluation_record

    return national_evaluation_record(evaluation)


def _follow_ups(evaluations: list[Evaluation]) -> None:
    """Same transaction: bad-review tasks and hotline work orders (bulk), one national message."""
    from apps.reviews.services.disposals import disposals_create_bulk
    from apps.reviews.services.hotline import hotline_orders_create_bulk

    bad = [e for e in evaluations if e.is_bad_review and not e.is_default]
    if bad:
        disposals_create_bulk(evaluations=bad)
        to_hotline = [e for e in bad if e.channel != EvaluationChannel.HOTLINE]
        if to_hotline:
            hotline_orders_create_bulk(evaluations=to_hotline)
    first = evaluations[0]
    enqueue(peer=NATIONAL_PEER, kind="evaluations",
            payload={"evaluations": [national_payload(e) for e in evaluations]},
            idempotency_key=f"evaluations:{first.evaluation_number}:{len(evaluations)}", region=first.region)
    ids = [e.pk for e in evaluations]
    transaction.on_commit(lambda: after_commit(ids))


def after_commit(ids: list[int]) -> None:
    """One message for the batch: statistics, on-event quality rules, overview (services/follow_up.py);
    a broker outage is logged — the evaluations are committed and the beat sweep picks them up."""
    from apps.reviews.services.follow_up import follow_up_enqueue

    follow_up_enqueue(len(ids))


def evaluation_submit(*, data: EvaluationInput) -> Evaluation:
    """Write one evaluation from any channel (see the module docstring)."""
    return evaluations_submit_batch(items=[data])[0]


def evaluations_submit_batch(*, items: list[EvaluationInput]) -> list[Evaluation]:
    """All-or-nothing write of several evaluations (integrator uploads): a fixed number of
    statements whatever the batch size — one bulk insert, bulk follow-ups, one national message."""
    if not items:
        raise ValidationError(_("没有要提交的评价。"))
    batch = BatchContext.load(items)
    built = [_build(item, batch=batch) for item in items]
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


def evaluation_feedback_record(*, client, evaluation_number: str, feedback: str) -> Evaluation:
    """评价反馈 (REV-3.1 ④, 8.1): an integrated application answers one of ITS evaluations."""
    evaluation = Evaluation.objects.filter(client=client, evaluation_number=evaluation_number).first()
    if evaluation is None:
        raise ValidationError({"evaluation_number": _("评价不存在或不属于本应用。")})
    evaluation.feedback = feedback
    evaluation.save(update_fields=["feedback"])
    return evaluation


def evaluation_form_context(object_kind: str, channel: str = EvaluationChannel.PC) -> dict:
    """Tags per level (no tag preselected; REV-17.2) and the channel's impression dimensions (REV-23.2)."""
    tags: dict[int, list[str]] = {level: [] for level in EvaluationLevel.values}
    for tag in EvaluationTag.objects.filter(object_kind=object_kind, is_enabled=True):
        tags[tag.level].append(tag.name)
    return {"levels": EvaluationLevel.choices, "tags_by_level": tags, **convenient_form(object_kind, channel)}
