"""DRF permission classes of identity."""
from rest_framework.permissions import BasePermission


def model_permission(permission: str) -> type[BasePermission]:
    """A permission class requiring one Django permission, e.g. model_permission("identity.view_user")."""

    class HasModelPermission(BasePermission):
        message = "您没有执行此操作的权限。"

        def has_permission(self, request, view):
            return bool(request.user and request.user.is_authenticated and request.user.has_perm(permission))

    HasModelPermission.__name__ = f"Has_{permission.replace('.', '_')}"
    return HasModelPermission


class IsStaffUser(BasePermission):
    message = "仅限政务工作人员。"

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and (user.is_staff_user or user.is_superuser))
