"""Refreshing the topic databases (ANA-1.1) as a job with progress, with the processing steps of ANA-1.3:
clean (数据清洗) → de-duplicate (查重) → aggregate → compare (比对) → load, each step logged.

Every count is an aggregate query over the owning app's table (apps.analytics.topics); the snapshot rows
of a dataset are replaced in one transaction, so a chart never sees half a refresh."""
from __future__ import annotations

import logging
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.analytics.models import DataLogKind, TopicDataset, TopicFact
from apps.analytics.services.logs import data_log_write
from apps.analytics.topics import TOPICS, TopicSpec
from apps.core.audit import AuditAction, audit_record
from apps.core.exports import ExportColumn, build_workbook
from apps.core.jobs import JobRun, job_create, job_fail, job_progress, job_start, job_succeed
from apps.core.models import Region

logger = logging.getLogger(__name__)
REFRESH_JOB_KIND = "analytics.refresh"
REFRESH_PERMISSION = "analytics.refresh_topicdataset"
SAMPLE = 10


def topic_datasets_ensure() -> int:
    """Create the dataset rows of the registry that do not exist yet (migration and demo); returns how many."""
    existing = set(TopicDataset.objects.values_list("code", flat=True))
    new = [TopicDataset(code=s.code, name=s.name, english_name=s.english_name, category=s.category,
                        source=s.source_label) for s in TOPICS.values() if s.code not in existing]
    TopicDataset.objects.bulk_create(new)
    return len(new)


def topic_refresh_start(*, actor, codes: list[str] | None = None) -> JobRun:
    """Queue a refresh of the enabled datasets `codes` (all enabled ones when empty) as a job.
    Refuses (nothing written) a user without the refresh permission, unknown or disabled codes."""
    if actor is not None and not actor.has_perm(REFRESH_PERMISSION):
        raise PermissionDenied(_("您没有刷新专题库的权限。"))
    codes = sorted({str(c).strip() for c in (codes or []) if str(c).strip()})
    unknown = [c for c in codes if c not in TOPICS]
    if unknown:
        raise ValidationError({"codes": _("没有编码为 %(codes)s 的专题库。") % {"codes": "、".join(unknown)}})
    datasets = TopicDataset.objects.filter(is_enabled=True)
    if codes:
        datasets = datasets.filter(code__in=codes)
    selected = list(datasets.values_list("code", flat=True))
    if codes and len(selected) != len(codes):
        raise ValidationError({"codes": _("所选专题库中有已停用的：%(codes)s。")
                               % {"codes": "、".join(sorted(set(codes) - set(selected)))}})
    if not selected:
        raise ValidationError({"codes": _("没有启用的专题库可刷新。")})
    from apps.analytics.tasks import topic_refresh_task

    with transaction.atomic():
        job = job_create(kind=REFRESH_JOB_KIND, title=_("刷新专题库（%(n)s 个）") % {"n": len(selected)}, user=actor,
                         total=len(selected), params={"codes": selected})
        data_log_write(kind=DataLogKind.OPERATION, operator=actor, job=job, records_in=len(selected),
                       summary=_("发起刷新专题库：%(codes)s") % {"codes": "、".join(selected)},
                       detail={"codes": selected, "trigger": "manual" if actor is not None else "schedule"})
        if actor is not None:
            audit_record(actor=actor, action=AuditAction.OTHER, obj=job,
                         detail=_("发起刷新专题库：%(codes)s") % {"codes": "、".join(selected)})
        transaction.on_commit(lambda: topic_refresh_task.apply_async(kwargs={"job_id": job.pk}, queue="reports"))
    return job


def topic_refresh_run(*, job_id: int) -> None:
    """The task's body: refresh each dataset of the job in turn, with progress; idempotent."""
    from apps.core.models.jobs import FINISHED_STATUSES

    job = JobRun.objects.filter(pk=job_id).first()
    if job is None or job.status in FINISHED_STATUSES:
        return
    job_start(job)
    datasets = list(TopicDataset.objects.filter(code__in=job.params.get("codes", []), is_enabled=True))
    data_log_write(kind=DataLogKind.SYSTEM, job=job, operator=job.created_by, records_in=len(datasets),
                   summary=_("专题库刷新开始（%(n)s 个）") % {"n": len(datasets)})
    root = Region.objects.filter(level=1).order_by("code").first()
    results, failures = [], []
    for done, dataset in enumerate(datasets, start=1):
        try:
            results.append(dataset_refresh(dataset, job=job, root=root))
        except Exception as exc:  # one broken topic must not stop the others; it is logged and shown
            logger.exception("analytics: refreshing topic %s failed", dataset.code)
            TopicDataset.objects.filter(pk=dataset.pk).update(last_error=str(exc)[:500], last_job=job)
            data_log_write(kind=DataLogKind.SYSTEM, dataset=dataset, job=job,
                           summary=_("专题库 1.1.%(code)s 刷新失败") % {"code": dataset.code}, detail={"error": str(exc)})
            failures.append(dataset.code)
        job_progress(job, done)
    data_log_write(kind=DataLogKind.SYSTEM, job=job, records_in=len(datasets), records_affected=len(results),
                   summary=_("专题库刷新结束：成功 %(ok)s 个，失败 %(failed)s 个") % {"ok": len(results),
                                                                           "failed": len(failures)},
                   detail={"failed": failures})
    if datasets and not results:
        job_fail(job, _("全部专题库刷新失败：%(codes)s") % {"codes": "、".join(failures)})
        return
    columns = [ExportColumn(_("专题库"), "code", 10), ExportColumn(_("名称"), "name", 36),
               ExportColumn(_("源数据条数"), "source_count", 14), ExportColumn(_("清洗剔除"), "removed", 12),
               ExportColumn(_("重复"), "duplicates", 10), ExportColumn(_("快照行数"), "rows", 12)]
    content = build_workbook([_Obj(r) for r in results], columns, title=_("专题库刷新结果"))
    job_succeed(job, filename=_("专题库刷新结果.xlsx"), content=content)


class _Obj:
    def __init__(self, data: dict):
        self.__dict__.update(data)


def _rules(source) -> tuple:
    return source.clean_rules() if callable(source.clean_rules) else tuple(source.clean_rules)


def _clean(source, queryset):
    """数据清洗: the rows each rule finds dirty (one aggregate query; samples only for rules that hit)."""
    rules = _rules(source)
    combined = Q()
    for _label, condition in rules:
        combined |= condition
    aggregates = {"total": Count("pk"), **{f"r{i}": Count("pk", filter=c) for i, (_l, c) in enumerate(rules)}}
    if rules:
        aggregates["removed"] = Count("pk", filter=combined)
    counts = queryset.aggregate(**aggregates)
    hits = [{"rule": str(label), "count": counts[f"r{i}"],
             "sample_ids": [str(pk) for pk in queryset.filter(c).values_list("pk", flat=True)[:SAMPLE]]}
            for i, (label, c) in enumerate(rules) if counts[f"r{i}"]]
    cleaned = queryset.exclude(combined) if rules else queryset
    return cleaned, {"source": source.name, "total": counts["total"], "removed": counts.get("removed", 0),
                     "rules": hits}


def _deduplicate(source, cleaned):
    """查重: rows sharing the natural key count once; the duplicated keys are sampled."""
    if not source.dedup_field:
        return Count("pk"), None
    field = source.dedup_field
    counts = cleaned.aggregate(rows=Count("pk"), distinct=Count(field, distinct=True))
    duplicates = counts["rows"] - counts["distinct"]
    samples = []
    if duplicates:
        samples = [{"key": str(r[field]), "rows": r["n"]} for r in
                   cleaned.values(field).annotate(n=Count("pk")).filter(n__gt=1).order_by("-n", field)[:SAMPLE]]
    return Count(field, distinct=True), {"source": source.name, "key": field, "rows": counts["rows"],
                                         "distinct": counts["distinct"], "duplicates": duplicates,
                                         "duplicated_keys": samples}


def _compare(dataset, facts: list[dict]) -> dict:
    """比对: this snapshot against the previous one, per dimension."""
    before = {r["dimension"]: r["v"] for r in
              TopicFact.objects.filter(dataset=dataset).values("dimension").annotate(v=Sum("value")).order_by()}
    before_rows = TopicFact.objects.filter(dataset=dataset).count()
    after = defaultdict(int)
    for fact in facts:
        after[fact["dimension"]] += fact["value"]
    changes = [{"dimension": d, "before": before.get(d, 0), "after": after.get(d, 0),
                "change": after.get(d, 0) - before.get(d, 0)}
               for d in sorted(set(before) | set(after)) if before.get(d, 0) != after.get(d, 0)]
    return {"rows_before": before_rows, "rows_after": len(facts), "first_load": dataset.last_refreshed_at is None,
            "changes": changes}


@transaction.atomic
def dataset_refresh(dataset: TopicDataset, *, job=None, root=None) -> dict:
    """Rebuild one dataset's snapshot and write its cleaning, de-duplication and comparison logs."""
    spec: TopicSpec = TOPICS[dataset.code]
    facts, cleaning, dedup = [], [], []
    for source in spec.sources:
        cleaned, clean_detail = _clean(source, source.queryset())
        cleaning.append(clean_detail)
        counter, dedup_detail = _deduplicate(source, cleaned)
        if dedup_detail:
            dedup.append(dedup_detail)
        for fact in source.aggregate(cleaned, counter):
            if fact["region_id"] is None:
                if root is None:
                    continue
                fact["region_id"] = root.pk
            facts.append(fact)
    comparison = _compare(dataset, facts)
    source_total = sum(c["total"] for c in cleaning)
    removed = sum(c["removed"] for c in cleaning)
    duplicates = sum(d["duplicates"] for d in dedup)
    code = dataset.code
    data_log_write(kind=DataLogKind.CLEANING, dataset=dataset, job=job, records_in=source_total,
                   records_affected=removed, detail={"sources": cleaning},
                   summary=_("1.1.%(code)s 数据清洗：%(total)s 条源数据，剔除 %(removed)s 条")
                   % {"code": code, "total": source_total, "removed": removed})
    data_log_write(kind=DataLogKind.DEDUPLICATION, dataset=dataset, job=job,
                   records_in=sum(d["rows"] for d in dedup), records_affected=duplicates, detail={"sources": dedup},
                   summary=_("1.1.%(code)s 查重：发现重复 %(n)s 条") % {"code": code, "n": duplicates})
    data_log_write(kind=DataLogKind.COMPARISON, dataset=dataset, job=job, records_in=len(facts),
                   records_affected=len(comparison["changes"]), detail=comparison,
                   summary=_("1.1.%(code)s 比对：%(n)s 个维度有变化") % {"code": code, "n": len(comparison["changes"])})
    TopicFact.objects.filter(dataset=dataset).delete()
    TopicFact.objects.bulk_create([TopicFact(dataset=dataset, **fact) for fact in facts], batch_size=2000)
    dataset.last_refreshed_at = timezone.now()
    dataset.row_count, dataset.source_count, dataset.last_error, dataset.last_job = len(facts), source_total, "", job
    dataset.save(update_fields=["last_refreshed_at", "row_count", "source_count", "last_error", "last_job"])
    return {"code": code, "name": dataset.name, "source_count": source_total, "removed": removed,
            "duplicates": duplicates, "rows": len(facts)}


def topic_refresh_nightly() -> JobRun | None:
    """The scheduled refresh of every enabled dataset (beat: analytics-topic-refresh-nightly)."""
    if not TopicDataset.objects.filter(is_enabled=True).exists():
        topic_datasets_ensure()
    return topic_refresh_start(actor=None)


def topic_dataset_set_enabled(*, actor, dataset: TopicDataset, enabled: bool) -> TopicDataset:
    """Enable or disable a topic (configuration of ANA-1.1): a disabled topic is skipped by the refresh and
    its charts' panels show no data from it."""
    if not actor.has_perm("analytics.change_topicdataset"):
        raise PermissionDenied(_("您没有配置专题库的权限。"))
    with transaction.atomic():
        dataset.is_enabled = bool(enabled)
        dataset.save(update_fields=["is_enabled"])
        summary = (_("启用专题库 1.1.%(code)s") if enabled else _("停用专题库 1.1.%(code)s")) % {"code": dataset.code}
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=dataset, changes={"is_enabled": [not enabled, enabled]})
        data_log_write(kind=DataLogKind.OPERATION, operator=actor, dataset=dataset, summary=summary)
    return dataset
