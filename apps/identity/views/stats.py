"""Portal page: identity statistics (IDN-5.1 reports, IDN-13.8 staff per department)."""
from django.shortcuts import render
from django.urls import path
from django.views import View

from apps.core.views.mixins import StaffPermissionMixin
from apps.identity import selectors_stats


class IdentityStatisticsView(StaffPermissionMixin, View):
    permission_required = "identity.view_user"

    def get(self, request):
        return render(request, "identity/statistics.html", {
            "by_region": selectors_stats.registered_by_region(), "levels": selectors_stats.real_name_levels(),
            "logins": selectors_stats.login_volume(), "staff": selectors_stats.staff_per_organisation(user=request.user),
            "title": "用户统计"})


urlpatterns = [path("statistics/", IdentityStatisticsView.as_view(), name="statistics")]
