"""Excel template download and import (ACC-5.2 departments, ACC-5.4 standard items for booking).

An import is all or nothing: every row is checked first (hall in the user's scope, organisation or item
known to the kernel / item library); any bad row → a list of "第N行：…" messages and nothing written."""
from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from apps.acceptance.models import BookableMatter, Hall, HallDepartment
from apps.core.models import Organisation
from apps.core.scope import restrict
from apps.core.services.audit import audit_record
from apps.matters.models import ImplementationItem

MAX_ROWS = 2000


@dataclass(frozen=True)
class Importer:
    title: str
    headers: tuple
    permission: str
    apply: object                        # (rows: list[tuple[int, dict]], actor) -> int


def _hall(actor, number: str):
    return restrict(Hall.objects.all(), actor).filter(hall_number=number).first()


def _departments(rows, actor) -> int:
    errors, plans = [], []
    for line, row in rows:
        hall = _hall(actor, row["大厅编号"])
        organisation = Organisation.objects.filter(credit_code=row["统一社会信用代码"].upper()).first()
        if hall is None:
            errors.append(_("第%(n)s行：大厅编号“%(v)s”不存在或不在您的管理范围内。") % {"n": line, "v": row["大厅编号"]})
        if organisation is None:
            errors.append(_("第%(n)s行：统一社会信用代码“%(v)s”不在组织机构库中，请先同步组织机构。")
                          % {"n": line, "v": row["统一社会信用代码"]})
        if hall and organisation:
            plans.append((hall, organisation, row))
    if errors:
        raise ValidationError(errors)
    for hall, organisation, row in plans:
        department, _created = HallDepartment.objects.update_or_create(
            hall=hall, organisation=organisation,
            defaults={"name": row["部门名称"] or organisation.name, "phone": row["联系电话"][:32],
                      "location": row["办公位置"][:100]})
        audit_record(actor=actor, action="update", obj=department, detail="Excel导入")
    return len(plans)


def _standard_items(rows, actor) -> int:
    errors, plans = [], []
    for line, row in rows:
        hall = _hall(actor, row["大厅编号"])
        item = ImplementationItem.objects.filter(implementation_code=row["事项实施编码"], status="published").first()
        if hall is None:
            errors.append(_("第%(n)s行：大厅编号“%(v)s”不存在或不在您的管理范围内。") % {"n": line, "v": row["大厅编号"]})
        if item is None:
            errors.append(_("第%(n)s行：事项实施编码“%(v)s”不在事项库中或未发布。") % {"n": line, "v": row["事项实施编码"]})
        if hall and item:
            plans.append((hall, item, row))
    if errors:
        raise ValidationError(errors)
    for hall, item, row in plans:
        matter, _created = BookableMatter.objects.update_or_create(
            hall=hall, matter=item, defaults={"department_name": row["所属部门"][:128], "is_active": True})
        audit_record(actor=actor, action="update", obj=matter, detail="Excel导入")
    return len(plans)


IMPORTERS = {
    "departments": Importer(_("进驻部门"), ("大厅编号", "部门名称", "统一社会信用代码", "联系电话", "办公位置"),
                            "acceptance.add_halldepartment", _departments),
    "standard-items": Importer(_("标准事项"), ("大厅编号", "事项实施编码", "所属部门"),
                               "acceptance.add_bookablematter", _standard_items),
}


def import_template(key: str) -> bytes:
    importer = IMPORTERS[key]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(importer.title)
    sheet.append(list(importer.headers))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _read(content: bytes, headers: tuple) -> list[tuple[int, dict]]:
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
    except Exception:  # noqa: BLE001 — openpyxl raises many kinds for a non-workbook
        raise ValidationError(_("请上传由模板填写的 Excel（.xlsx）文件。")) from None
    rows = sheet.iter_rows(values_only=True)
    first = [str(c).strip() if c is not None else "" for c in (next(rows, None) or ())]
    if tuple(first[:len(headers)]) != headers:
        raise ValidationError(_("表头与模板不一致，请下载最新模板填写。"))
    result = []
    for line, values in enumerate(rows, start=2):
        cells = [("" if v is None else str(v).strip()) for v in (values or ())][:len(headers)]
        if not any(cells):
            continue
        result.append((line, dict(zip(headers, cells + [""] * (len(headers) - len(cells))))))
        if len(result) > MAX_ROWS:
            raise ValidationError(_("一次最多导入 %(n)s 行。") % {"n": MAX_ROWS})
    if not result:
        raise ValidationError(_("文件中没有数据行。"))
    return result


def excel_import(*, key: str, content: bytes, actor) -> int:
    importer = IMPORTERS[key]
    if not actor.has_perm(importer.permission):
        raise PermissionDenied(_("您没有导入的权限。"))
    rows = _read(content, importer.headers)
    with transaction.atomic():
        return importer.apply(rows, actor)
