"""Loading cities' regions and departments (IDN-11.1, 11.2).

A city administrator (or a system administrator, for any city) uploads an Excel sheet or pulls the
city platform's data (apps.identity.adapters.city_platform, real HTTP). The batch is checked in a
background job (apps.core.jobs, progress bar; the per-row report is the job's result file), then
previewed: new / changed / unchanged / refused rows, each refusal with its reason. Confirming writes
the valid rows — core Region and Organisation rows, parents first — in one transaction, audited;
cancelling writes nothing. Refused rows are never written. Only the city's own subtree is accepted.
"""
from __future__ import annotations

import io
import uuid

import openpyxl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.jobs import job_create, job_fail, job_progress, job_start, job_succeed
from apps.core.models import AuditAction, Organisation, Region
from apps.core.models.regions import RegionLevel
from apps.core.services.organisations import organisation_create, organisation_update
from apps.core.services.regions import region_create
from apps.identity.models import (
    CityDataImport,
    CityDataImportKind,
    CityDataImportSource,
    CityDataImportStatus,
)
from apps.identity.services import city_data_rows as checks
from apps.identity.services.grants import is_unrestricted

PERMISSION = "identity.import_city_data"
MAX_ROWS = 20000
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
COLUMNS = {CityDataImportKind.REGIONS: (checks.REGION_COLUMNS, checks.REGION_KEYS),
           CityDataImportKind.ORGANISATIONS: (checks.ORGANISATION_COLUMNS, checks.ORGANISATION_KEYS)}


# --- who may import which city ---------------------------------------------------------------

def importable_cities(actor):
    """Cities `actor` may load: every city for system administrators, otherwise the city of the
    actor's region-wide organisation (a city or provincial bureau)."""
    cities = Region.objects.filter(level=RegionLevel.CITY).order_by("code")
    if not (actor and actor.is_authenticated and actor.is_active and actor.has_perm(PERMISSION)):
        return cities.none()
    if is_unrestricted(actor):
        return cities
    organisation = getattr(actor, "organisation", None)
    if not (actor.is_staff_user and organisation and organisation.is_region_wide):
        return cities.none()
    region = organisation.region
    if region.level > RegionLevel.CITY:
        return cities.none()
    return cities.filter(code__startswith=region.prefix)


def _require_city(actor, city: Region | None) -> None:
    if not actor or not actor.has_perm(PERMISSION):
        raise PermissionDenied(_("您没有导入区划与部门数据的权限。"))
    if city is None or not importable_cities(actor).filter(code=city.code).exists():
        raise PermissionDenied(_("只能导入本市（地）的区划与部门数据。"))


# --- reading the sources ---------------------------------------------------------------------

def read_excel(content: bytes, kind: str) -> list[dict]:
    """Rows of the first sheet, by the Chinese headers of `kind` (order free, extra columns ignored)."""
    headers, keys = COLUMNS[kind]
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("文件不能超过 10 MB。"))
    try:
        sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception:  # noqa: BLE001 — openpyxl raises many types for a bad file
        raise ValidationError(_("无法读取文件，请上传 .xlsx 格式的 Excel 文件。")) from None
    lines = sheet.iter_rows(values_only=True)
    header = [str(c).strip() if c is not None else "" for c in next(lines, ())]
    missing = [h for h in headers if h not in header and h != "状态"]
    if missing:
        raise ValidationError(_("缺少列：%(cols)s。请使用导入模板。") % {"cols": "、".join(missing)})
    index = {key: header.index(h) for h, key in zip(headers, keys, strict=True) if h in header}
    rows = []
    for line in lines:
        if line is None or all(c in (None, "") for c in line):
            continue
        rows.append({key: (line[i] if i < len(line) else None) for key, i in index.items()})
        if len(rows) > MAX_ROWS:
            raise ValidationError(_("一次最多导入 %(n)d 行。") % {"n": MAX_ROWS})
    rows = [{k: ("" if v is None else str(v).strip()) for k, v in row.items()} for row in rows]
    if not rows:
        raise ValidationError(_("文件中没有数据行。"))
    return rows


def template_workbook(kind: str) -> bytes:
    headers, _keys = COLUMNS[kind]
    book = openpyxl.Workbook()
    book.active.title = "导入数据"
    book.active.append(headers)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- start, check (job), confirm, cancel -----------------------------------------------------

@transaction.atomic
def city_data_import_start(*, actor, city: Region, kind: str, source: str, content: bytes | None = None,
                          platform=None) -> CityDataImport:
    """Create the batch from an Excel file or the city platform, and queue its check job."""
    _require_city(actor, city)
    if kind not in CityDataImportKind.values or source not in CityDataImportSource.values:
        raise ValidationError(_("导入类别或数据来源无效。"))
    if source == CityDataImportSource.EXCEL:
        raw_rows = read_excel(content or b"", kind)
    else:
        from apps.core.outbox import PeerPermanentError, PeerTemporaryError
        from apps.identity.adapters.city_platform import HttpCityPlatform

        try:
            raw_rows = (platform or HttpCityPlatform()).export(city=city.code, kind=kind,
                                                               idempotency_key=f"identity-city-data-{uuid.uuid4()}")
        except (PeerPermanentError, PeerTemporaryError) as exc:
            raise ValidationError(_("地市平台接口调用失败：%(why)s") % {"why": exc}) from None
        if not raw_rows:
            raise ValidationError(_("地市平台没有返回数据。"))
    batch = CityDataImport.objects.create(kind=kind, source=source, city=city, raw_rows=raw_rows, created_by=actor)
    batch.job = job_create(kind="identity.city_data_import", title=f"{city.name}{batch.get_kind_display()}数据校验",
                           user=actor, total=len(raw_rows), params={"import_id": batch.pk})
    batch.save(update_fields=["job"])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=batch,
                 detail=f"导入{city.name}{batch.get_kind_display()}（{batch.get_source_display()}，{len(raw_rows)} 行）")
    from apps.identity.tasks import city_data_import_check_task

    transaction.on_commit(lambda: city_data_import_check_task.delay(batch.pk))
    return batch


def city_data_import_check(batch_id: int) -> CityDataImport:
    """The job: check every row, store the preview and the per-row report."""
    batch = CityDataImport.objects.select_related("city", "job").get(pk=batch_id)
    job = batch.job
    if job is not None:
        job_start(job)
    try:
        check = checks.check_region_rows if batch.kind == CityDataImportKind.REGIONS else checks.check_organisation_rows
        rows = check(batch.raw_rows, batch.city)
        if job is not None:
            job_progress(job, len(rows))
    except Exception as exc:  # noqa: BLE001 — the job must end failed, not stay running
        CityDataImport.objects.filter(pk=batch.pk).update(status=CityDataImportStatus.FAILED, error=str(exc)[:2000])
        if job is not None:
            job_fail(job, str(exc))
        raise
    CityDataImport.objects.filter(pk=batch.pk, status=CityDataImportStatus.CHECKING).update(
        rows=rows, summary=checks.summarise(rows), status=CityDataImportStatus.READY)
    if job is not None:
        job_succeed(job, filename="导入校验报告.xlsx", content=report_workbook(batch.kind, rows))
    batch.refresh_from_db()
    return batch


def report_workbook(kind: str, rows: list[dict]) -> bytes:
    headers, keys = COLUMNS[kind]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "校验报告"
    sheet.append(["行号", "处理结果", "原因", *headers])
    for row in rows:
        sheet.append([row["line"], checks.ACTION_LABELS[row["action"]], row["reason"],
                      *[row["data"].get(k, "") for k in keys]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _locked_ready(batch: CityDataImport, actor) -> CityDataImport:
    _require_city(actor, batch.city)
    locked = CityDataImport.objects.select_for_update().select_related("city").get(pk=batch.pk)
    if locked.status != CityDataImportStatus.READY:
        raise ValidationError(_("该批数据当前状态为“%(status)s”，不能再确认或取消。")
                              % {"status": locked.get_status_display()})
    return locked


@transaction.atomic
def city_data_import_cancel(*, batch: CityDataImport, actor) -> CityDataImport:
    locked = _locked_ready(batch, actor)
    locked.status, locked.decided_by, locked.decided_at = CityDataImportStatus.CANCELLED, actor, timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, detail="取消导入",
                 changes={"status": [CityDataImportStatus.READY, CityDataImportStatus.CANCELLED]})
    return locked


@transaction.atomic
def city_data_import_confirm(*, batch: CityDataImport, actor) -> CityDataImport:
    """Write the batch's valid rows (checked again now: the database may have changed since the
    preview). All or nothing: any error rolls the whole batch back."""
    locked = _locked_ready(batch, actor)
    check = checks.check_region_rows if locked.kind == CityDataImportKind.REGIONS else checks.check_organisation_rows
    rows = check(locked.raw_rows, locked.city)
    if locked.kind == CityDataImportKind.REGIONS:
        _apply_regions(rows, actor)
    else:
        _apply_organisations(rows, actor)
    locked.rows, locked.summary = rows, checks.summarise(rows)
    locked.status, locked.decided_by, locked.decided_at = CityDataImportStatus.CONFIRMED, actor, timezone.now()
    locked.save(update_fields=["rows", "summary", "status", "decided_by", "decided_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, detail="确认导入",
                 changes={"status": [CityDataImportStatus.READY, CityDataImportStatus.CONFIRMED],
                          "summary": [None, locked.summary]})
    return locked


def _apply_regions(rows: list[dict], actor) -> None:
    todo = sorted((r for r in rows if r["action"] in (checks.NEW, checks.CHANGED)),
                  key=lambda r: len(r["key"].rstrip("0")))
    for row in todo:
        data = row["data"]
        if row["action"] == checks.NEW:
            region = region_create(code=data["code"], name=data["name"], region_type=data["region_type"])
            audit_record(actor=actor, action=AuditAction.CREATE, obj=region, detail="区划数据导入")
            continue
        region = Region.objects.select_for_update().get(code=data["code"])
        for field, (_old, new) in row["changes"].items():
            setattr(region, field, new)
        region.save()
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=region, detail="区划数据导入",
                     changes=row["changes"])


def _apply_organisations(rows: list[dict], actor) -> None:
    todo = [r for r in rows if r["action"] in (checks.NEW, checks.CHANGED)]
    done: set[str] = set()
    while todo:                                               # parents first
        ready = [r for r in todo if not r["data"]["parent"] or r["data"]["parent"] not in
                 {t["key"] for t in todo}]
        if not ready:
            raise ValidationError(_("上级机构关系存在循环，无法导入。"))
        for row in ready:
            _apply_organisation(row, actor)
            done.add(row["key"])
        todo = [r for r in todo if r["key"] not in done]


def _apply_organisation(row: dict, actor) -> None:
    data = row["data"]
    parent = Organisation.objects.filter(credit_code=data["parent"]).first() if data["parent"] else None
    region = Region.objects.get(code=data["region"])
    enabled = checks._enabled(data["status"])
    if row["action"] == checks.NEW:
        organisation = organisation_create(name=data["name"], credit_code=data["credit_code"], region=region,
                                           kind=data["kind"], short_name=data["short_name"], parent=parent,
                                           is_enabled=enabled)
        audit_record(actor=actor, action=AuditAction.CREATE, obj=organisation, detail="部门数据导入")
        return
    organisation = Organisation.objects.get(credit_code=data["credit_code"])
    organisation_update(organisation=organisation, name=data["name"], short_name=data["short_name"],
                        region=region, kind=data["kind"], parent=parent, is_enabled=enabled)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=organisation, detail="部门数据导入",
                 changes=row["changes"])
