"""Catalogue import page: upload an Excel file, follow the job's progress (MAT-2.1, Excel import)."""
from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from apps.core.jobs import job_create, job_url
from apps.core.models import Organisation
from apps.core.scope import restrict
from apps.core.views.mixins import StaffPermissionMixin
from apps.matters.services.importing import template_workbook
from apps.matters.views.reports import XLSX


class CatalogueImportView(StaffPermissionMixin, View):
    permission_required = "matters.add_catalogueitem"

    def _departments(self, request):
        return restrict(Organisation.objects.filter(is_enabled=True), request.user).order_by("name")

    def get(self, request):
        if request.GET.get("template"):
            response = HttpResponse(template_workbook(), content_type=XLSX)
            response["Content-Disposition"] = "attachment; filename=catalogue-import-template.xlsx"
            return response
        return render(request, "matters/import.html", {"title": _("目录清单导入"),
                                                        "departments": self._departments(request)})

    def post(self, request):
        upload = request.FILES.get("file")
        department = self._departments(request).filter(pk=request.POST.get("department")).first()
        if upload is None or department is None or not upload.name.endswith(".xlsx") or upload.size > 10 * 2 ** 20:
            messages.error(request, _("请选择本部门并上传不超过10MB的 .xlsx 文件。"))
            return render(request, "matters/import.html", {"title": _("目录清单导入"),
                                                            "departments": self._departments(request)}, status=400)
        path = default_storage.save(f"matters/imports/{uuid.uuid4().hex}.xlsx", ContentFile(upload.read()))
        job = job_create(kind="matters.catalogue_import", title=_("目录清单导入：%(f)s") % {"f": upload.name},
                         user=request.user)
        from apps.matters.tasks import catalogue_import

        catalogue_import.delay(job.pk, path, request.user.pk, department.pk)
        return redirect(job_url(job))
