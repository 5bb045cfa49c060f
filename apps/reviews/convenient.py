"""Convenient evaluation indicators (便捷评价指标, REV-23.2, 23.2.1, 23.2.2).

Three tiers, each quick to give:
1. the overall star rating, read as 好评 / 中评 / 差评 (REV-23.2) from the five national levels
   (非常满意 + 满意 = 好评, 基本满意 = 中评, 不满意 + 非常不满意 = 差评; decision 0605);
2. impression ratings (印象评价) — each dimension rated 好 / 中 / 差. Which dimensions are offered
   is chosen at evaluation time from the object and the channel:
   - windows and staff: 服务态度, 办事效率, 易懂程度, 专业程度 (REV-23.2);
   - handled items (办件 / 事项, REV-23.2.2) and halls: the national indicator set of the channel
     (reference-codes §7.4) — online (website, app, SMS link) 办事效率, 办事指南精确度, 办事便捷度,
     平台操作性; offline (hall pad, QR code, terminal, hotline) 服务效率, 服务水平, 服务态度
     (整体满意度 is the overall level itself);
   - service guides: 清晰度, 易用性, 准确性, 合理性 (REV-15.3, 23.2.1);
3. free text (the comment).

Impressions are stored with the evaluation in `Evaluation.indicators` as "维度:好" strings (next to
any level-2 indicator names) and analysed by `analysis.impressions`.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.reviews.models import EvaluationChannel, EvaluationLevel, ObjectKind

GOOD, NEUTRAL, BAD = "good", "neutral", "bad"
TIER_LABELS = {GOOD: "好评", NEUTRAL: "中评", BAD: "差评"}
TIER_OF_LEVEL = {EvaluationLevel.VERY_SATISFIED: GOOD, EvaluationLevel.SATISFIED: GOOD,
                 EvaluationLevel.BASICALLY_SATISFIED: NEUTRAL, EvaluationLevel.DISSATISFIED: BAD,
                 EvaluationLevel.VERY_DISSATISFIED: BAD}
IMPRESSION_VALUES = ("好", "中", "差")
ONLINE_CHANNELS = (EvaluationChannel.PC, EvaluationChannel.APP, EvaluationChannel.SMS)

WINDOW_STAFF = (("attitude", "服务态度"), ("efficiency", "办事效率"), ("understandable", "易懂程度"),
                ("professional", "专业程度"))
ONLINE_ITEM = (("efficiency", "办事效率"), ("guide_accuracy", "办事指南精确度"), ("convenience", "办事便捷度"),
               ("operability", "平台操作性"))
OFFLINE_ITEM = (("service_efficiency", "服务效率"), ("service_level", "服务水平"), ("attitude", "服务态度"))
GUIDE = (("clarity", "清晰度"), ("ease", "易用性"), ("accuracy", "准确性"), ("reasonableness", "合理性"))


def tier_of(level: int) -> str:
    """好评 / 中评 / 差评 key of one of the five levels."""
    return TIER_OF_LEVEL[EvaluationLevel(int(level))]


def dimensions_for(object_kind: str, channel: str) -> tuple[tuple[str, str], ...]:
    """(form key, label) of the impression dimensions offered for this object on this channel."""
    if object_kind in (ObjectKind.WINDOW, ObjectKind.STAFF):
        return WINDOW_STAFF
    if object_kind == ObjectKind.SERVICE_GUIDE:
        return GUIDE
    return ONLINE_ITEM if channel in ONLINE_CHANNELS else OFFLINE_ITEM


def impression_sets() -> list[dict]:
    """Every (object kind, channel) with its dimensions — what the indicator-fetch API publishes."""
    return [{"object_kind": kind, "channel": channel, "dimensions": [label for _k, label in
                                                                        dimensions_for(kind, channel)],
             "values": list(IMPRESSION_VALUES)}
            for kind in ObjectKind.values for channel in EvaluationChannel.values]


def impressions_from(post, *, object_kind: str, channel: str) -> list[str]:
    """The impressions chosen on a form (fields impression_<key>) as "维度:值" strings."""
    chosen = []
    for key, label in dimensions_for(object_kind, channel):
        value = (post.get(f"impression_{key}") or "").strip()
        if value and value not in IMPRESSION_VALUES:
            raise ValidationError(_("“%(c)s”的评价只能是好、中或差。") % {"c": label})
        if value:
            chosen.append(f"{label}:{value}")
    return chosen


def clean_indicators(indicators, *, object_kind: str, channel: str) -> list[str]:
    """Check the impressions ("维度:值") among an evaluation's indicators: each dimension must be
    one offered for this object and channel, rated 好/中/差, at most once. Plain level-2 indicator
    names (no colon) pass unchanged."""
    allowed = {label for _k, label in dimensions_for(object_kind, channel)}
    cleaned, seen = [], set()
    for raw in indicators or []:
        text = str(raw).strip()
        if not text:
            continue
        if ":" in text:
            dimension, value = (part.strip() for part in text.split(":", 1))
            if dimension not in allowed:
                raise ValidationError({"indicators": _("“%(d)s”不是该渠道%(k)s评价的印象指标（可选：%(a)s）。") % {
                    "d": dimension, "k": ObjectKind(object_kind).label, "a": "、".join(sorted(allowed))}})
            if value not in IMPRESSION_VALUES:
                raise ValidationError({"indicators": _("“%(d)s”的评价只能是好、中或差。") % {"d": dimension}})
            if dimension in seen:
                raise ValidationError({"indicators": _("“%(d)s”重复评价。") % {"d": dimension}})
            seen.add(dimension)
            text = f"{dimension}:{value}"
        cleaned.append(text)
    return cleaned


def form_context(object_kind: str, channel: str) -> dict:
    return {"impression_dimensions": dimensions_for(object_kind, channel), "impression_values": IMPRESSION_VALUES}
