"""Batch import of licence data (LIC-1.29): download the template workbook, upload it filled in, check
the parsed rows, then confirm (every row enters licence entry in one transaction) or cancel (none)."""

from __future__ import annotations

import datetime as dt
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from ..models import FaceParameterKind, ImportStatus, LicenceImportBatch, LicenceSource, LicenceTemplate
from .kernel import audit_record, require_in_scope, require_permission
from .licences import _validate, licence_enter

BASIC_COLUMNS = [("name", "证照名称"), ("licence_number", "证照编号"), ("holder_name", "持证主体名称"),
                 ("holder_code", "持证主体代码"), ("valid_from", "有效期起（YYYY-MM-DD）"),
                 ("valid_until", "有效期至（YYYY-MM-DD，长期留空）")]
MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024


def _face_params(template):
    return [p for p in template.parameters.all() if p.kind == FaceParameterKind.TEXT]


def import_template_workbook(template: LicenceTemplate) -> bytes:
    """The workbook users fill in: basic columns, then one column per text face parameter."""
    wb = Workbook()
    ws = wb.active
    ws.title = "证照数据"
    ws.append([label for _k, label in BASIC_COLUMNS] + [p.label for p in _face_params(template)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _date(value, field, errors):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        errors.append(field)
        return None


def _parse(template, content: bytes) -> tuple[list[dict], list[str]]:
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for non-xlsx input
        raise ValidationError({"file": _("文件不是有效的 Excel（.xlsx）工作簿。")}) from exc
    rows = list(wb.active.iter_rows(values_only=True))
    params = _face_params(template)
    expected = [label for _k, label in BASIC_COLUMNS] + [p.label for p in params]
    if not rows or [str(c or "").strip() for c in rows[0][:len(expected)]] != expected:
        raise ValidationError({"file": _("表头与该模板的导入模板不一致，请先下载导入模板。")})
    body = [r for r in rows[1:] if any(c not in (None, "") for c in r)]
    if not body:
        raise ValidationError({"file": _("文件中没有数据行。")})
    if len(body) > MAX_ROWS:
        raise ValidationError({"file": _("一次最多导入 %(n)s 行。") % {"n": MAX_ROWS}})
    parsed, problems = [], []
    for number, raw in enumerate(body, start=2):
        raw = list(raw) + [None] * len(expected)
        data = {k: str(raw[i] or "").strip() for i, (k, _l) in enumerate(BASIC_COLUMNS[:4])}
        bad = []
        data["valid_from"] = _date(raw[4], "有效期起", bad)
        data["valid_until"] = _date(raw[5], "有效期至", bad)
        data["face_data"] = {p.key: str(raw[6 + i] or "").strip() for i, p in enumerate(params)}
        try:
            if bad:
                raise ValidationError(_("日期格式应为 YYYY-MM-DD：%(f)s") % {"f": "、".join(bad)})
            _validate(template, data, draft=False)
        except ValidationError as exc:
            problems.append(_("第 %(n)s 行：%(e)s") % {"n": number, "e": "；".join(exc.messages)})
        parsed.append({**data, "valid_from": data["valid_from"] and data["valid_from"].isoformat(),
                       "valid_until": data["valid_until"] and data["valid_until"].isoformat()})
    return parsed, problems


@transaction.atomic
def import_upload(*, actor, template: LicenceTemplate, issuer, file_name: str, content: bytes):
    """Parse and keep the upload for checking; nothing enters licence entry yet."""
    require_permission(actor, "licences.add_licence")
    require_in_scope(actor, issuer)
    if not template.is_valid:
        raise ValidationError({"template": _("模板已设为无效，不能用于录入。")})
    if not content or len(content) > MAX_BYTES or not file_name.lower().endswith(".xlsx"):
        raise ValidationError({"file": _("请上传不超过 5MB 的 .xlsx 文件。")})
    rows, problems = _parse(template, content)
    batch = LicenceImportBatch.objects.create(template=template, issuer=issuer, file_name=file_name[:255],
                                              rows=rows, errors=problems, created_by=actor)
    audit_record(actor=actor, action="create", obj=batch, changes={"rows": [None, len(rows)]})
    return batch


def _locked(actor, batch):
    batch = LicenceImportBatch.objects.select_for_update().select_related("template", "issuer").get(pk=batch.pk)
    require_in_scope(actor, batch)
    if batch.created_by_id != actor.pk:
        raise PermissionDenied(_("只能处理自己上传的导入批次。"))
    if batch.status != ImportStatus.PENDING:
        raise ValidationError(_("该导入批次已处理。"))
    return batch


@transaction.atomic
def import_confirm(*, actor, batch: LicenceImportBatch) -> int:
    """Every row enters licence entry (status entered, source file import) — all or none."""
    require_permission(actor, "licences.add_licence")
    batch = _locked(actor, batch)
    if batch.errors:
        raise ValidationError(_("导入数据有问题，请取消后修正文件重新上传。"))
    for row in batch.rows:
        data = {**row, "valid_from": dt.date.fromisoformat(row["valid_from"]),
                "valid_until": row["valid_until"] and dt.date.fromisoformat(row["valid_until"])}
        licence_enter(actor=actor, template=batch.template, issuer=batch.issuer, data=data,
                      source=LicenceSource.FILE_IMPORT)
    batch.status = ImportStatus.CONFIRMED
    batch.save(update_fields=["status"])
    audit_record(actor=actor, action="update", obj=batch, changes={"status": ["pending", "confirmed"]})
    return len(batch.rows)


@transaction.atomic
def import_cancel(*, actor, batch: LicenceImportBatch) -> None:
    batch = _locked(actor, batch)
    batch.status = ImportStatus.CANCELLED
    batch.save(update_fields=["status"])
    audit_record(actor=actor, action="update", obj=batch, changes={"status": ["pending", "cancelled"]})
