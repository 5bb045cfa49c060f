"""Import a catalogue from Excel (目录清单导入) as a job: every row checked first, a per-row error
report on failure, and all rows created in one transaction only when none is wrong (all-or-nothing).

Columns (first sheet, header row first): 事项名称 | 事项类型 | 设定依据 | 即办件 | 法定办结时限 |
承诺办结时限 | 办理地点 | 咨询电话 | 监督电话 | 申请材料（以“；”分隔）"""
from __future__ import annotations

from io import BytesIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from apps.core.jobs import job_fail, job_progress, job_start, job_succeed
from apps.matters.models import MatterType
from apps.matters.services.declaration import catalogue_item_declare, validate_time_limits

COLUMNS = ["事项名称", "事项类型", "设定依据", "即办件", "法定办结时限", "承诺办结时限", "办理地点", "咨询电话", "监督电话",
           "申请材料"]
TYPES = {**{str(label): value for value, label in MatterType.choices}, **{value: value for value in MatterType.values}}
MAX_ROWS = 5000


def _int(value, label: str):
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(_("%(l)s应为整数（工作日）") % {"l": label}) from None
    if number < 0:
        raise ValidationError(_("%(l)s不能为负数") % {"l": label})
    return number


def _row(values: list) -> tuple[dict, dict]:
    """(element data, children) of one row; raises ValidationError with every problem of the row."""
    cells = dict(zip(COLUMNS, [("" if v is None else v) for v in values] + [""] * len(COLUMNS)))
    problems = []
    name = str(cells["事项名称"]).strip()
    if not name:
        problems.append(_("事项名称不能为空"))
    matter_type = TYPES.get(str(cells["事项类型"]).strip())
    if matter_type is None:
        problems.append(_("事项类型“%(t)s”无效") % {"t": cells["事项类型"]})
    immediate = str(cells["即办件"]).strip() in ("是", "Y", "y", "1", "True")
    limits, numbers_ok = {}, True
    for key, label in (("statutory_limit_working_days", "法定办结时限"), ("committed_limit_working_days", "承诺办结时限")):
        try:
            limits[key] = _int(cells[label], label)
        except ValidationError as error:
            problems.extend(error.messages)
            limits[key], numbers_ok = None, False
    committed = limits["committed_limit_working_days"]
    steps = [{"name": "受理", "is_acceptance": True, "step_limit_working_days": 0}]
    if committed:
        steps.append({"name": "审查决定", "is_acceptance": False, "step_limit_working_days": committed})
    if numbers_ok:
        try:
            validate_time_limits(is_immediate=immediate, statutory=limits["statutory_limit_working_days"],
                                 committed=committed, steps=steps)
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise ValidationError(problems)
    materials = [m.strip() for m in str(cells["申请材料"]).replace(";", "；").split("；") if m.strip()]
    data = {"name": name, "matter_type": matter_type, "legal_basis": str(cells["设定依据"]), "is_immediate": immediate,
            "handling_location": str(cells["办理地点"]), "consultation_phone": str(cells["咨询电话"]),
            "supervision_phone": str(cells["监督电话"]), **limits}
    children = {"steps": steps, "materials": [{"name": m, "is_required": True} for m in materials]}
    return data, children


def template_workbook() -> bytes:
    workbook = Workbook()
    workbook.active.append(COLUMNS)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def catalogue_import_run(*, job, content: bytes, actor, department) -> None:
    """Run one import job: check every row (progress), then create all as drafts or fail with the report."""
    job_start(job)
    try:
        sheet = load_workbook(BytesIO(content), read_only=True).active
        rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True) if any(c not in (None, "") for c in row)]
    except Exception:  # noqa: BLE001 — any unreadable file
        job_fail(job, _("无法读取Excel文件，请使用导入模板（.xlsx）。"))
        return
    if not rows or len(rows) > MAX_ROWS:
        job_fail(job, _("文件中没有数据行。") if not rows else _("一次最多导入%(n)s行。") % {"n": MAX_ROWS})
        return
    job_progress(job, 0, total=len(rows) * 2)
    parsed, errors = [], []
    for number, values in enumerate(rows, start=2):
        try:
            parsed.append(_row(values))
        except ValidationError as error:
            errors.append(_("第%(n)s行：%(e)s") % {"n": number, "e": "；".join(error.messages)})
        job_progress(job, number - 1)
    if errors:
        job_fail(job, _("导入未执行（全部或全不）：共%(n)s行有误。\n") % {"n": len(errors)} + "\n".join(errors))
        return
    try:
        with transaction.atomic():
            created = []
            for index, (data, children) in enumerate(parsed, start=1):
                created.append(catalogue_item_declare(actor=actor, department=department, data=data,
                                                      children=children, submit=False))
                if index % 50 == 0:
                    job_progress(job, len(rows) + index)
    except ValidationError as error:
        job_fail(job, _("导入未执行：%(e)s") % {"e": "；".join(error.messages)})
        return
    report = Workbook()
    report.active.append(["行号", "事项名称", "基本编码"])
    for number, item in enumerate(created, start=2):
        report.active.append([number, item.name, item.basic_code])
    buffer = BytesIO()
    report.save(buffer)
    job_succeed(job, filename="导入结果.xlsx", content=buffer.getvalue())
