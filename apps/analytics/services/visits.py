"""Visit counts reported by the PC portal and the 全省事 app (ANA-1.1.a/g) through the ingest API.

A batch is validated as a whole (any bad row → nothing written), counted once per (client, batch_id)
— a re-sent batch is a logged duplicate, not double counts — and added to the daily counters with one
INSERT … ON CONFLICT statement."""
from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.analytics.models import DataLogKind, EmbedClient, VisitBatch, VisitCount
from apps.analytics.services.embed import EmbedRefused
from apps.analytics.services.logs import data_log_write

MAX_ROWS = 5000
MAX_COUNT = 1_000_000_000


def _parse_rows(client: EmbedClient, rows) -> dict[tuple, int]:
    from apps.core.models import Region

    if not isinstance(rows, list) or not rows:
        raise ValidationError({"rows": _("请提供访问量数据行。")})
    if len(rows) > MAX_ROWS:
        raise ValidationError({"rows": _("一批最多 %(n)s 行。") % {"n": MAX_ROWS}})
    today = timezone.localdate()
    errors, merged = {}, {}
    regions = {r.get("region") for r in rows if isinstance(r, dict) and r.get("region")}
    known = set(Region.objects.filter(code__in=regions, code__startswith=client.region.prefix)
                .values_list("code", flat=True)) if regions else set()
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            errors[f"rows[{index}]"] = _("数据行应为对象。")
            continue
        try:
            day = date.fromisoformat(str(row.get("day", "")))
        except ValueError:
            errors[f"rows[{index}].day"] = _("日期格式应为 YYYY-MM-DD。")
            continue
        if day > today or day < today - timedelta(days=366):
            errors[f"rows[{index}].day"] = _("日期应在今天及之前一年内。")
        count = row.get("count")
        if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= MAX_COUNT:
            errors[f"rows[{index}].count"] = _("访问量应为非负整数。")
        code = str(row.get("matter_code") or "").strip()
        if len(code) > 50:
            errors[f"rows[{index}].matter_code"] = _("事项编码过长。")
        region = row.get("region") or client.region.code
        if region != client.region.code and region not in known:
            errors[f"rows[{index}].region"] = _("区划不存在或不在本系统的数据区划内。")
        if f"rows[{index}].day" not in errors and f"rows[{index}].count" not in errors:
            key = (day, code, region)
            merged[key] = merged.get(key, 0) + count
    if errors:
        raise ValidationError(errors)
    return merged


def visits_ingest(*, client: EmbedClient, batch_id: str, rows) -> tuple[VisitBatch, bool]:
    """Record one batch of the client's channel; returns (batch, created). Refused if the client may not report."""
    if not client.may_report_visits or not client.visit_channel:
        raise EmbedRefused(_("该客户端未获授权上报访问量。"), 403)
    batch_id = str(batch_id or "").strip()
    if not batch_id or len(batch_id) > 64:
        raise ValidationError({"batch_id": _("请提供不超过64个字符的批次号。")})
    merged = _parse_rows(client, rows)
    existing = VisitBatch.objects.filter(client=client, batch_id=batch_id).first()
    if existing is not None:
        data_log_write(kind=DataLogKind.DEDUPLICATION, records_in=len(rows), records_affected=len(rows),
                       summary=_("访问量批次 %(batch)s 重复上报，已忽略") % {"batch": batch_id},
                       detail={"client": client.pk, "client_name": client.name, "batch_id": batch_id})
        return existing, False
    from apps.matters.models import ImplementationItem

    codes = {code for _day, code, _region in merged if code}
    names = dict(ImplementationItem.objects.filter(implementation_code__in=codes)
                 .values_list("implementation_code", "name")) if codes else {}
    params = [(day, client.visit_channel, code, names.get(code, ""), region, count)
              for (day, code, region), count in merged.items()]
    table = VisitCount._meta.db_table
    try:
        with transaction.atomic():
            batch = VisitBatch.objects.create(client=client, batch_id=batch_id, rows=len(params),
                                              visits=sum(p[-1] for p in params))
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {table} (day, channel, matter_code, matter_name, region_id, count) "
                    f"VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (day, channel, matter_code, region_id) "
                    f"DO UPDATE SET count = {table}.count + EXCLUDED.count, "
                    f"matter_name = CASE WHEN EXCLUDED.matter_name <> '' THEN EXCLUDED.matter_name "
                    f"ELSE {table}.matter_name END", params)
            duplicates = len(rows) - len(merged)
            data_log_write(kind=DataLogKind.CLEANING, records_in=len(rows), records_affected=duplicates,
                           summary=_("接收访问量批次 %(batch)s：%(rows)s 行，合并重复 %(dup)s 行")
                           % {"batch": batch_id, "rows": len(rows), "dup": duplicates},
                           detail={"client": client.pk, "client_name": client.name, "channel": client.visit_channel,
                                   "rows": len(rows), "merged_rows": len(merged), "visits": batch.visits,
                                   "unknown_matter_codes": sorted(codes - set(names))[:20]})
    except IntegrityError:                       # the same batch arrived concurrently: count it once
        return VisitBatch.objects.get(client=client, batch_id=batch_id), False
    return batch, True
