"""User permission management (用户权限管理, ANA-1.2): which roles reach which analytics functions.

Roles and their assignment live in identity (角色, granted by 权限管理员); this page shows, for the
analytics functions, which roles hold them and how many users have each role. The system administrator
role holds every function without extra grants."""
from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db.models import Count
from django.shortcuts import render
from django.views import View

from apps.core.views.mixins import StaffPermissionMixin
from apps.identity.models import Role


class RolesView(StaffPermissionMixin, View):
    permission_required = "analytics.view_topicdataset"

    def get(self, request):
        permissions = list(Permission.objects.filter(content_type__app_label="analytics").order_by("codename"))
        roles = list(Role.objects.filter(permissions__content_type__app_label="analytics").distinct()
                     .annotate(user_count=Count("users", distinct=True)).prefetch_related("permissions").order_by("code"))
        matrix = [{"role": role, "users": role.user_count,
                   "grants": [p in set(role.permissions.all()) for p in permissions]} for role in roles]
        return render(request, "analytics/roles.html", {"permissions": permissions, "matrix": matrix})
