"""View mixins every portal page uses: staff-only access and data-scope restriction."""
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from apps.core.scope import restrict


class StaffRequiredMixin(LoginRequiredMixin):
    """Portal pages are for staff users only; public users get 403, anonymous users the login page."""

    login_url = "portal:login"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (getattr(user, "is_staff_user", False) or user.is_superuser):
            raise PermissionDenied(_("仅限政务工作人员使用工作门户。"))
        return super().dispatch(request, *args, **kwargs)


class StaffPermissionMixin(StaffRequiredMixin, PermissionRequiredMixin):
    """Staff user holding `permission_required` (through a role)."""

    def has_permission(self):
        if not self.permission_required:
            return True
        return super().has_permission()

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise PermissionDenied(_("您没有执行此操作的权限。"))
        return super().handle_no_permission()


class ScopedQuerysetMixin:
    """get_queryset() cut to the user's data scope (apps.core.scope)."""

    def get_base_queryset(self):
        return self.model._default_manager.all()

    def get_queryset(self):
        return restrict(self.get_base_queryset(), self.request.user)
