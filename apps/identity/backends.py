"""Authentication backend that grants the permissions of a staff user's roles."""
from django.contrib.auth.backends import ModelBackend, UserModel
from django.contrib.auth.models import Permission


class RolePermissionBackend(ModelBackend):
    """Django's ModelBackend, with roles in the place of groups. The `system_admin` role holds
    every permission ("configuration and all functions"), like a superuser inside the portal."""

    def get_user(self, user_id):
        """The session's user with organisation and region in the same query: data scope
        (apps.core.scope) reads both on nearly every portal page."""
        user = UserModel._default_manager.select_related("organisation__region").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def _get_group_permissions(self, user_obj):
        return Permission.objects.filter(roles__users=user_obj)

    def get_all_permissions(self, user_obj, obj=None):
        if user_obj.is_active and not user_obj.is_anonymous and obj is None and \
                getattr(user_obj, "is_system_admin", False) and not user_obj.is_superuser:
            if not hasattr(user_obj, "_system_admin_perm_cache"):
                user_obj._system_admin_perm_cache = {
                    f"{ct}.{name}" for ct, name in Permission.objects.values_list("content_type__app_label",
                                                                                  "codename")}
            return user_obj._system_admin_perm_cache
        return super().get_all_permissions(user_obj, obj)
