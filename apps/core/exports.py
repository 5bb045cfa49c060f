"""Excel export of any filtered list, with the same filter the list shows (openpyxl).

A list declares its columns once (`ExportColumn`) and the export writes exactly the rows
of the filtered, scoped queryset. Small exports stream back at once; exports larger than
settings.EXPORT_SYNC_LIMIT become a job (apps.core.jobs) the user can watch: the Celery task
rebuilds the same queryset from the export registry, the saved query string and the user
(scope and permission applied again inside the task), writes the workbook with progress and
stores the file.

Every `ScopedListView` subclass registers itself (key: its `export_key`, or its dotted path).
Lists that are not such views register a function:

    register_export("supervision.complaints", title="投诉", columns=[...],
                    filterset_class=ComplaintFilterSet, permission="supervision.view_complaint",
                    queryset_for_user=lambda user: Complaint.objects.restrict(user))
"""
from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_JOB_KIND = "core.export"
# Query-string keys that steer the page, not the filter.
CONTROL_PARAMS = ("export", "page", "page_size")


@dataclass(frozen=True)
class ExportColumn:
    header: str                                  # Chinese column header
    value: str | Callable[[Any], Any]            # attribute or key path ("region.name") or callable(obj)
    width: int = 18

    def read(self, obj) -> Any:
        if callable(self.value):
            result = self.value(obj)
        else:
            result = obj
            for part in self.value.split("."):      # attributes, or keys of a dict row
                if isinstance(result, Mapping):
                    result = result.get(part)
                else:
                    result = getattr(result, part, None) if result is not None else None
                if callable(result):
                    result = result()
        if result is not None and getattr(result, "tzinfo", None):
            result = timezone.localtime(result).replace(tzinfo=None)
        if result is None:
            return ""
        if isinstance(result, (str, int, float)) or hasattr(result, "isoformat"):
            return result
        return str(result)


def build_workbook(rows: Iterable, columns: list[ExportColumn], *, title: str,
                   progress: Callable[[int], None] | None = None, progress_every: int = 500) -> bytes:
    """An .xlsx with a styled header row and one row per object (write-only: flat memory)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(title or "export")[:31])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    header_font, header_fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="0B4A8B")
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.header))
        cell.font, cell.fill, cell.alignment = header_font, header_fill, Alignment(vertical="center")
        header.append(cell)
    sheet.append(header)
    count = 0
    for count, obj in enumerate(rows, start=1):
        sheet.append([column.read(obj) for column in columns])
        if progress and count % progress_every == 0:
            progress(count)
    if progress:
        progress(count)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_filename(title: str) -> str:
    return f"{title or 'export'}-{timezone.localtime().strftime('%Y%m%d%H%M')}.xlsx"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    name = filename if filename.endswith(".xlsx") else xlsx_filename(filename)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


# --- Registry of exportable lists --------------------------------------------------------------

@dataclass(frozen=True)
class ExportSpec:
    """How to rebuild an exportable list for a user from a saved query string."""

    key: str
    title: str
    columns: list[ExportColumn] | None = None
    filterset_class: type | None = None
    queryset_for_user: Callable | None = None
    permission: str | None = None
    view_class: type | None = None

    def resolve(self, user, query: str) -> tuple[Any, list[ExportColumn], str]:
        """(filtered scoped queryset, columns, title); PermissionDenied / ValidationError."""
        if self.view_class is not None:
            return _resolve_view(self.view_class, user, query)
        if self.permission and not user.has_perm(self.permission):
            raise PermissionDenied(_("您没有导出此列表的权限。"))
        data = _filter_data(query)
        queryset = self.queryset_for_user(user)
        if self.filterset_class is None:
            return queryset, list(self.columns or []), self.title
        filterset = self.filterset_class(data or None, queryset=queryset, request=_fake_request(user, query))
        if filterset.is_bound and not filterset.is_valid():
            raise ValidationError({name: [str(e) for e in errs] for name, errs in filterset.errors.items()})
        return filterset.qs, list(self.columns or []), self.title


_registry: dict[str, ExportSpec] = {}


def register_export(key: str, *, queryset_for_user: Callable, columns: list[ExportColumn], title: str,
                    filterset_class: type | None = None, permission: str | None = None) -> ExportSpec:
    spec = ExportSpec(key=key, title=title, columns=list(columns), filterset_class=filterset_class,
                      queryset_for_user=queryset_for_user, permission=permission)
    _registry[key] = spec
    return spec


def register_view_export(key: str, view_class: type) -> ExportSpec:
    spec = ExportSpec(key=key, title=getattr(view_class, "title", ""), view_class=view_class)
    _registry[key] = spec
    return spec


def get_export(key: str) -> ExportSpec | None:
    """The registered export; loads the URLconf (which imports every list view) if needed."""
    if key not in _registry:
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018 - importing the views registers their exports
    return _registry.get(key)


def _filter_data(query: str) -> QueryDict:
    data = QueryDict(query or "", mutable=True)
    for name in CONTROL_PARAMS:
        data.pop(name, None)
    return data


def _fake_request(user, query: str) -> HttpRequest:
    """A GET request carrying the saved filter and the user, for views and filtersets in a task."""
    request = HttpRequest()
    request.method = "GET"
    request.GET = _filter_data(query)
    request.user = user
    request.META["SERVER_NAME"], request.META["SERVER_PORT"] = "localhost", "80"
    return request


def _resolve_view(view_class, user, query: str):
    if not (getattr(user, "is_staff_user", False) or user.is_superuser):
        raise PermissionDenied(_("仅限政务工作人员导出。"))
    view = view_class()
    view.setup(_fake_request(user, query))
    if hasattr(view, "has_permission") and not view.has_permission():
        raise PermissionDenied(_("您没有导出此列表的权限。"))
    filterset = view.get_filterset(view.get_filterset_class())
    if filterset.is_bound and not filterset.is_valid():
        raise ValidationError({name: [str(e) for e in errs] for name, errs in filterset.errors.items()})
    return filterset.qs, view.get_export_columns(), str(view.title or "")


# --- Large exports as jobs -----------------------------------------------------------------------

def export_start(*, user, key: str, query: str = "", total: int | None = None):
    """Create the export job for list `key` with the filter in `query`; the task runs after commit.

    Refuses (nothing written) an unknown list, a user without the list's permission, and an
    invalid filter."""
    from django.db import transaction

    from apps.core.export_tasks import export_run_task
    from apps.core.services.jobs import job_create

    spec = get_export(key)
    if spec is None:
        raise ValidationError({"export_key": [_("没有名为“%(key)s”的可导出列表。") % {"key": key}]})
    rows, _columns, title = spec.resolve(user, query)
    count = rows.count() if total is None else total
    job = job_create(kind=EXPORT_JOB_KIND, title=_("导出：%(title)s") % {"title": title}, user=user, total=count,
                     params={"export_key": key, "query": _filter_data(query).urlencode()})
    transaction.on_commit(lambda: export_run_task.apply_async(kwargs={"job_id": job.pk}, queue="reports"))
    return job


def export_run(*, job_id: int) -> None:
    """The task's body: rebuild the rows for the job's owner, write them with progress, store."""
    from apps.core.models.audit import AuditAction
    from apps.core.models.jobs import FINISHED_STATUSES, JobRun
    from apps.core.services.audit import audit_record
    from apps.core.services.jobs import job_fail, job_progress, job_start, job_succeed

    job = JobRun.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or job.status in FINISHED_STATUSES:
        return                                   # idempotent: a redelivered task does nothing
    job_start(job)
    try:
        user = job.created_by
        if user is None or not user.is_active:
            raise PermissionDenied(_("发起导出的用户已不可用。"))
        spec = get_export(job.params.get("export_key", ""))
        if spec is None:
            raise ValidationError(_("可导出列表已不存在。"))
        rows, columns, title = spec.resolve(user, job.params.get("query", ""))
        total = rows.count()
        job_progress(job, 0, total)
        every = max(50, min(1000, total // 50 or 1))
        content = build_workbook(rows.iterator(chunk_size=2000), columns, title=title,
                                 progress=lambda done: job_progress(job, done), progress_every=every)
        job_succeed(job, filename=xlsx_filename(title), content=content)
        audit_record(actor=user, action=AuditAction.EXPORT, obj=job, request=None,
                     detail=_("导出“%(title)s”%(count)s 行（后台任务）") % {"title": title, "count": total})
    except (PermissionDenied, ValidationError) as exc:
        job_fail(job, "；".join(getattr(exc, "messages", None) or [str(exc)]))
    except Exception as exc:  # a failed export is shown to the user, not lost in a worker log
        job_fail(job, _("导出失败：%(error)s") % {"error": exc})
        raise
