"""Multi-level catalogue page (MAT-2.1.2): drill down region → department → items, and sync the
upper-level catalogue of one's department."""
from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from apps.core.models import Region
from apps.core.outbox import PeerPermanentError, PeerTemporaryError
from apps.core.views.mixins import StaffPermissionMixin
from apps.matters.selectors_dynamics import catalogue_drilldown
from apps.matters.services.catalogue_sync import catalogue_sync_upper


class CatalogueTreeView(StaffPermissionMixin, View):
    permission_required = "matters.view_catalogueitem"

    def get(self, request):
        own = getattr(getattr(request.user, "organisation", None), "region", None)
        region = Region.objects.filter(code=request.GET.get("region", "")).first() or own
        if region is None:
            region = Region.objects.filter(parent__isnull=True).order_by("code").first()
        department = request.GET.get("department", "")
        return render(request, "matters/catalogue_tree.html", {
            "title": _("多级事项目录"),
            "tree": catalogue_drilldown(user=request.user, region=region,
                                        department_id=int(department) if department.isdigit() else None)})

    def post(self, request):
        department = getattr(request.user, "organisation", None)
        if department is None or not request.user.has_perm("matters.sync_catalogueitem"):
            return self.handle_no_permission()
        try:
            result = catalogue_sync_upper(actor=request.user, department=department)
        except (PeerTemporaryError, PeerPermanentError):
            messages.error(request, _("上级事项库暂时无法访问，请稍后再试。"))
            return redirect("matters:catalogue-tree")
        messages.success(request, _("同步完成：新增 %(c)s 项，更新 %(u)s 项，无变化 %(n)s 项。") % {
            "c": result["created"], "u": result["updated"], "n": result["unchanged"]})
        for error in result["errors"]:
            messages.error(request, f"{error['basic_code']}：{error['message']}")
        return redirect("matters:catalogue-tree")
