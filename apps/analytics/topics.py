"""The registry of topic databases (专题库, ANA-1.1.a–u): where each reads its data and how it is cleaned,
de-duplicated and aggregated.

A topic has one or more sources. A source is a queryset over an owning app's table with
* `clean_rules`: (label, Q) pairs; matching rows are dirty and left out (数据清洗), counted per rule;
* `dedup_field`: the natural key; rows sharing it count once (查重: licence versions share a code);
* `aggregate(queryset, counter)`: ONE grouped aggregate query returning fact rows
  {region, organisation, day, dimension, label, value, total}.
Nothing here loops over source rows in Python; the refresh job (services.refresh) runs these.
Analytics reads the other apps' tables and never writes them.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.analytics.models import TopicCategory

MATTER_NATIONAL_PEER = "national_platform"        # apps.matters.services.declaration.NATIONAL_PEER
LICENCE_NATIONAL_PEER = "licences.national"       # apps.licences.peers.national.PEER


def _row(region, dimension, value, *, organisation=None, day=None, label="", total=None) -> dict:
    return {"region_id": region, "organisation_id": organisation, "day": day, "dimension": str(dimension),
            "label": str(label or "")[:200], "value": int(value or 0), "total": total}


@dataclass(frozen=True)
class Source:
    name: str
    queryset: Callable[[], QuerySet]
    aggregate: Callable[[QuerySet, object], list[dict]]
    clean_rules: tuple | Callable = ()     # or a callable returning them (rules that read today's date)
    dedup_field: str | None = None


@dataclass(frozen=True)
class TopicSpec:
    code: str
    name: str
    english_name: str
    category: str
    source_label: str
    sources: tuple[Source, ...] = field(default_factory=tuple)


# --- sources ---------------------------------------------------------------------------------------

def _visits():
    from apps.analytics.models import VisitCount

    return VisitCount.objects.all()


def _visit_days(qs, counter):
    return [_row(r["region"], r["channel"], r["n"], day=r["day"])
            for r in qs.values("region", "day", "channel").annotate(n=Sum("count")).order_by()]


def _visit_matters(qs, counter):
    since = timezone.localdate() - timedelta(days=settings.ANALYTICS_VISIT_RATE_DAYS - 1)
    rows = (qs.filter(day__gte=since).exclude(matter_code="")
            .values("region", "channel", "matter_code", "matter_name").annotate(n=Sum("count")).order_by())
    return [_row(r["region"], r["channel"], r["n"], label=f"{r['matter_name'] or r['matter_code']}（{r['matter_code']}）")
            for r in rows]


def VISIT_CLEAN():
    return ((_("访问日期晚于今天"), Q(day__gt=timezone.localdate())),)


def _catalogue_national():
    from apps.matters.models import CatalogueItem, MatterStatus

    return CatalogueItem.objects.filter(is_national=True, status=MatterStatus.PUBLISHED)


def _claimed_from_nation():
    from apps.matters.models import ImplementationItem, MatterStatus

    return ImplementationItem.objects.filter(catalogue_item__is_national=True).exclude(status=MatterStatus.CANCELLED)


def _delegations():
    from apps.matters.models import Delegation

    return Delegation.objects.all()


def _outbox(peer):
    def queryset():
        from apps.core.models import OutboxMessage

        return OutboxMessage.objects.filter(peer=peer)
    return queryset


def _by_region(dimension, *, organisation=None):
    def aggregate(qs, counter):
        keys = ["region"] + ([organisation] if organisation else [])
        return [_row(r["region"], dimension, r["n"], organisation=r.get(organisation) if organisation else None)
                for r in qs.values(*keys).annotate(n=counter).order_by()]
    return aggregate


def _reported(qs, counter):
    rows = qs.filter(status="delivered").values("region").annotate(n=counter).order_by()
    return [_row(r["region"], "reported_to_nation", r["n"]) for r in rows]


def _outbox_status(qs, counter):
    return [_row(r["region"], r["status"], r["n"]) for r in qs.values("region", "status").annotate(n=counter).order_by()]


def _outbox_feedback(qs, counter):
    rows = (qs.filter(status="dead").values("region", "last_error").annotate(n=counter).order_by())
    return [_row(r["region"], "feedback", r["n"], label=(r["last_error"] or str(_("未说明原因"))).splitlines()[0])
            for r in rows]


OUTBOX_CLEAN = ((_("无区划的外发记录"), Q(region__isnull=True)),)


def _exchange_messages():
    from apps.acceptance.models import ExchangeMessage

    return ExchangeMessage.objects.all()


def _exchange_days(qs, counter):
    rows = (qs.annotate(d=TruncDate("created_at")).values("client__region", "client__organisation", "d", "direction",
                                                           "client__name").annotate(n=counter).order_by())
    return [_row(r["client__region"], f"exchange_{r['direction']}", r["n"], organisation=r["client__organisation"],
                 day=r["d"], label=r["client__name"]) for r in rows]


def _outbox_all():
    from apps.core.models import OutboxMessage

    return OutboxMessage.objects.exclude(peer="sms")


def _outbox_days(qs, counter):
    rows = qs.annotate(d=TruncDate("created_at")).values("region", "d", "peer", "status").annotate(n=counter).order_by()
    return [_row(r["region"], f"outbox_{r['status']}", r["n"], day=r["d"], label=r["peer"]) for r in rows]


def _seals():
    from apps.licences.models import Seal

    return Seal.objects.all()


SEAL_CLEAN = ((_("失效时间早于生效时间"), Q(valid_from__isnull=False, valid_until__lt=F("valid_from"))),)


def _seal_status(qs, counter):
    rows = qs.values("organisation__region", "organisation", "status").annotate(n=counter).order_by()
    return [_row(r["organisation__region"], r["status"], r["n"], organisation=r["organisation"]) for r in rows]


def _seal_valid(qs, counter):
    rows = (qs.filter(status="valid").values("organisation__region", "organisation", "production_mode")
            .annotate(n=counter).order_by())
    return [_row(r["organisation__region"], "valid", r["n"], organisation=r["organisation"], label=r["production_mode"])
            for r in rows]


def _seal_expiry(qs, counter):
    now = timezone.now()
    window = now + timedelta(days=settings.ANALYTICS_SEAL_EXPIRY_DAYS)
    rows = (qs.filter(status="valid").values("organisation__region", "organisation")
            .annotate(expiring=Count("pk", filter=Q(valid_until__gte=now, valid_until__lte=window)),
                      lapsed=Count("pk", filter=Q(valid_until__lt=now)),
                      healthy=Count("pk", filter=Q(valid_until__gt=window))).order_by())
    out = []
    for r in rows:
        for dimension in ("expiring", "lapsed", "healthy"):
            if r[dimension]:
                out.append(_row(r["organisation__region"], dimension, r[dimension], organisation=r["organisation"]))
    return out


def _licences():
    from apps.licences.models import Licence

    return Licence.objects.all()


LICENCE_CLEAN = ((_("有效期止早于有效期起"), Q(valid_until__isnull=False, valid_until__lt=F("valid_from"))),
                 (_("持证主体为空"), Q(holder_name="")))


def _licence_status(qs, counter):
    rows = qs.values("issuer__region", "issuer", "status").annotate(n=counter).order_by()
    return [_row(r["issuer__region"], r["status"], r["n"], organisation=r["issuer"]) for r in rows]


def _licence_types(qs, counter):
    rows = (qs.filter(status="valid").values("issuer__region", "issuer", "template__licence_type", "template__name")
            .annotate(n=counter).order_by())
    return [_row(r["issuer__region"], "type", r["n"], organisation=r["issuer"], label=r["template__name"]) for r in rows]


def _sync_events():
    from apps.licences.models import CatalogueSyncEvent

    return CatalogueSyncEvent.objects.all()


def _quality(qs, counter):
    rows = (qs.values("department__region", "department", "type_code")
            .annotate(failed=Count("pk", filter=Q(action="reject")), passed=Count("pk", filter=~Q(action="reject")))
            .order_by())
    out = []
    for r in rows:
        for dimension in ("passed", "failed"):
            if r[dimension]:
                out.append(_row(r["department__region"], dimension, r[dimension], organisation=r["department"],
                                label=r["type_code"]))
    return out


def _reported_rejects(qs, counter):
    rows = (qs.filter(action="reject").values("department__region", "department", "detail").annotate(n=counter)
            .order_by())
    return [_row(r["department__region"], "rejected", r["n"], organisation=r["department"],
                 label=r["detail"] or str(_("未说明原因"))) for r in rows]


def _catalogue_records():
    from apps.licences.models import CatalogueRecord

    return CatalogueRecord.objects.all()


def _catalogue_reporting(qs, counter):
    rows = (qs.values("route__data_source__region", "route__data_source")
            .annotate(reported=Count("licence_code", distinct=True, filter=Q(reported_at__isnull=False)),
                      unreported=Count("licence_code", distinct=True, filter=Q(reported_at__isnull=True)))
            .order_by())
    out = []
    for r in rows:
        for dimension in ("reported", "unreported"):
            if r[dimension]:
                out.append(_row(r["route__data_source__region"], dimension, r[dimension],
                                organisation=r["route__data_source"]))
    return out


def _organisations():
    from apps.core.models import Organisation

    return Organisation.objects.filter(is_enabled=True)


def _organisation_kinds(qs, counter):
    return [_row(r["region"], "kind", r["n"], label=r["kind"]) for r in qs.values("region", "kind").annotate(n=counter)
            .order_by()]


def _items_published():
    from apps.matters.models import ImplementationItem, MatterStatus

    return ImplementationItem.objects.filter(status=MatterStatus.PUBLISHED)


def _online_items(qs, counter):
    rows = (qs.values("region").annotate(online=Count("pk", filter=Q(handling_form__in=("online", "window_and_online"))),
                                         n=counter).order_by())
    return [_row(r["region"], "matters", r["online"], total=r["n"]) for r in rows]


def _cases():
    from apps.acceptance.models import Case

    return Case.objects.all()


def _online_cases(qs, counter):
    rows = qs.values("region").annotate(online=Count("pk", filter=~Q(channel="window")), n=counter).order_by()
    return [_row(r["region"], "cases", r["online"], total=r["n"]) for r in rows]


def _accepted_cases():
    from apps.acceptance.models import Case

    return Case.objects.filter(accepted_at__isnull=False)


CASE_CLEAN = ((_("已受理但无承诺办结日期"), Q(due_date__isnull=True)),
              (_("办结时间早于受理时间"), Q(concluded_at__isnull=False, concluded_at__lt=F("accepted_at"))))
FINAL = ("not_accepted", "concluded", "rescinded", "pre_review_rejected", "pre_review_voided", "voided")


def _overdue(qs, counter):
    today = timezone.localdate()
    rows = (qs.values("region", "organisation")
            .annotate(open_overdue=Count("pk", filter=~Q(status__in=FINAL) & Q(due_date__lt=today)),
                      late=Count("pk", filter=Q(status="concluded", concluded_at__date__gt=F("due_date"))),
                      n=counter).order_by())
    out = []
    for r in rows:
        out.append(_row(r["region"], "open_overdue", r["open_overdue"], organisation=r["organisation"], total=r["n"]))
        out.append(_row(r["region"], "late_concluded", r["late"], organisation=r["organisation"], total=r["n"]))
    return out


# 办件上报国家 (ANA-1.1.q): the checks a case record must pass before the national case interface takes it.
CASE_REPORT_CHECKS = {
    "no_due_date": (_("已受理缺少承诺办结日期"), Q(accepted_at__isnull=False, due_date__isnull=True)),
    "no_conclusion_time": (_("已办结缺少办结时间"), Q(status="concluded", concluded_at__isnull=True)),
    "no_result": (_("已办结缺少办理结果"), Q(status="concluded", result="")),
    "time_order": (_("办结时间早于受理时间"), Q(concluded_at__isnull=False, accepted_at__isnull=False,
                                        concluded_at__lt=F("accepted_at"))),
}


def _case_report(qs, counter):
    checks = {key: Count("pk", filter=q) for key, (_label, q) in CASE_REPORT_CHECKS.items()}
    out = []
    for r in qs.values("region").annotate(n=counter, **checks).order_by():
        out.append(_row(r["region"], "cases", r["n"]))
        for key in CASE_REPORT_CHECKS:
            if r[key]:
                out.append(_row(r["region"], "anomaly", r[key], label=key))
    return out


def _case_status(qs, counter):
    return [_row(r["region"], "status", r["n"], label=r["status"])
            for r in qs.values("region", "status").annotate(n=counter).order_by()]


def _evaluations():
    from apps.reviews.models import Evaluation

    return Evaluation.objects.filter(is_valid=True)


def _review_levels(qs, counter):
    return [_row(r["region"], "level", r["n"], label=r["level"], organisation=r["organisation"])
            for r in qs.values("region", "organisation", "level").annotate(n=counter).order_by()]


def _national_checks(qs, counter):
    rows = qs.values("region", "national_check", "national_check_note").annotate(n=counter).order_by()
    return [_row(r["region"], r["national_check"], r["n"], label=r["national_check_note"]) for r in rows]


def _abnormal_flags():
    from apps.reviews.models import AbnormalFlag

    return AbnormalFlag.objects.all()


def _abnormal_status(qs, counter):
    rows = qs.values("evaluation__region", "evaluation__organisation", "status").annotate(n=counter).order_by()
    return [_row(r["evaluation__region"], r["status"], r["n"], organisation=r["evaluation__organisation"]) for r in rows]


# --- the registry ----------------------------------------------------------------------------------

C = TopicCategory
TOPICS: dict[str, TopicSpec] = {spec.code: spec for spec in (
    TopicSpec("a", "PC及APP端访问量统计库", "PC and app visit statistics", C.VOLUME, "门户与全省事APP上报的访问量",
              (Source("visits", _visits, _visit_days, VISIT_CLEAN),)),
    TopicSpec("b", "事项数据认领及下放统计库", "Matter claiming and delegation", C.MATTER_CLAIM,
              "事项管理：国家目录事项、实施清单、下放记录、上报国家平台",
              (Source("nationally_delegated", _catalogue_national, _by_region("nationally_delegated"),
                      dedup_field="basic_code"),
               Source("claimed_from_nation", _claimed_from_nation, _by_region("claimed_from_nation"),
                      dedup_field="implementation_code"),
               # each version of an item is one report; an item counts once (the payload carries its code)
               Source("reported_to_nation", _outbox(MATTER_NATIONAL_PEER), _reported, OUTBOX_CLEAN, "payload__code"),
               Source("province_delegated", _delegations, _by_region("province_delegated")))),
    TopicSpec("c", "政务服务数据交换统计库", "Government service data exchange", C.EXCHANGE,
              "统一受理交换报文与对外投递（外发消息）",
              (Source("exchange", _exchange_messages, _exchange_days),
               Source("outbox", _outbox_all, _outbox_days, OUTBOX_CLEAN))),
    TopicSpec("d", "全省电子印章数据统计库", "Province-wide electronic seal data", C.SEAL, "电子印章：印章状态",
              (Source("seals", _seals, _seal_status, SEAL_CLEAN, "es_id"),)),
    TopicSpec("e", "全省电子证照统计库", "Province-wide electronic licences", C.LICENCE, "电子证照：证照状态（按证照标识去重）",
              (Source("licences", _licences, _licence_status, LICENCE_CLEAN, "licence_code"),)),
    TopicSpec("f", "全省组织机构统计库", "Province-wide organisations", C.ORGANISATION, "核心：启用的机构",
              (Source("organisations", _organisations, _organisation_kinds, dedup_field="credit_code"),)),
    TopicSpec("g", "政务服务门户及全省事APP事项访问率数据分析", "Matter visit rate on portal and app", C.VOLUME,
              "门户与全省事APP上报的事项访问量（近N天）",
              (Source("matter_visits", _visits, _visit_matters, VISIT_CLEAN),)),
    TopicSpec("h", "全省“网办率”情况分析", "Online-handling rate", C.RATE, "在用实施清单的办理形式；办件申报渠道",
              (Source("matters", _items_published, _online_items, dedup_field="implementation_code"),
               Source("cases", _cases, _online_cases, dedup_field="case_number"))),
    TopicSpec("i", "全省“好差评”数据分析", "Good/bad review analysis", C.REVIEW, "好差评：有效评价的等级",
              (Source("evaluations", _evaluations, _review_levels, dedup_field="evaluation_number"),)),
    TopicSpec("j", "全省超期办件分析", "Overdue cases", C.OVERDUE, "统一受理：已受理办件的承诺办结日期",
              (Source("cases", _accepted_cases, _overdue, CASE_CLEAN, "case_number"),)),
    TopicSpec("k", "全省电子印章数量统计分析", "Seal counts", C.SEAL, "电子印章：有效印章",
              (Source("seals", _seals, _seal_valid, SEAL_CLEAN, "es_id"),)),
    TopicSpec("l", "全省电子印章即将过期分析", "Seals about to expire", C.SEAL, "电子印章：有效印章的失效时间",
              (Source("seals", _seals, _seal_expiry, SEAL_CLEAN, "es_id"),)),
    TopicSpec("m", "全省电子证照类型分析", "Licence types", C.LICENCE, "电子证照：有效证照的模板（类型）",
              (Source("licences", _licences, _licence_types, LICENCE_CLEAN, "licence_code"),)),
    TopicSpec("n", "全省电子证照质检分析", "Licence quality checks", C.LICENCE, "证照目录汇聚的质检结果",
              (Source("sync_events", _sync_events, _quality),)),
    TopicSpec("o", "“省报国家”事项异常反馈分析", "Matter anomaly feedback from the nation", C.NATIONAL_ANOMALY,
              "事项上报国家平台被拒收的反馈",
              (Source("reports", _outbox(MATTER_NATIONAL_PEER), _outbox_feedback, OUTBOX_CLEAN),)),
    TopicSpec("p", "“省报国家”事项异常情况分析", "Matter reporting anomalies", C.NATIONAL_ANOMALY,
              "事项上报国家平台的投递状态",
              (Source("reports", _outbox(MATTER_NATIONAL_PEER), _outbox_status, OUTBOX_CLEAN),)),
    TopicSpec("q", "“省报国家”办件异常数据分析", "Case data anomalies for national reporting", C.NATIONAL_ANOMALY,
              "统一受理：办件数据按国家办件接口要求校验",
              (Source("cases", _cases, _case_report, dedup_field="case_number"),
               Source("case_status", _cases, _case_status, dedup_field="case_number"))),
    TopicSpec("r", "“省报国家”电子证照异常分析", "Licence reporting anomalies", C.NATIONAL_ANOMALY,
              "汇聚证照目录的上报状态；证照上报国家平台被拒收的反馈",
              (Source("catalogue", _catalogue_records, _catalogue_reporting),
               Source("rejections", _outbox(LICENCE_NATIONAL_PEER), _outbox_feedback, OUTBOX_CLEAN))),
    TopicSpec("s", "全省上报电子证照异常分析", "Province-wide reported licence anomalies", C.LICENCE,
              "证照目录汇聚中质检不通过的记录",
              (Source("sync_events", _sync_events, _reported_rejects),)),
    TopicSpec("t", "“省报国家”“好差评”数据异常反馈分析", "Review data feedback from the nation", C.NATIONAL_ANOMALY,
              "好差评：国家质检结果",
              (Source("evaluations", _evaluations, _national_checks, dedup_field="evaluation_number"),)),
    TopicSpec("u", "全省“好差评”数据异常反馈分析", "Province-wide review anomaly feedback", C.REVIEW,
              "好差评：异常评价的处理状态",
              (Source("abnormal_flags", _abnormal_flags, _abnormal_status),)),
)}
