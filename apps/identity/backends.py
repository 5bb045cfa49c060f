"""Authentication backend that grants the permissions of a staff user's roles."""
from django.contrib.auth.backends import ModelBackend, UserModel
from django.contrib.auth.models import Permission

from apps.identity.access import access_profile
from apps.identity.principals import remembered


class RolePermissionBackend(ModelBackend):
    """Django's ModelBackend, with roles in the place of groups. The `system_admin` role holds
    every permission ("configuration and all functions"), like a superuser inside the portal."""

    def get_user(self, user_id):
        """The session's user with organisation and region in the same query: data scope
        (apps.core.scope) reads both on nearly every portal page. Remembered across requests
        (apps.identity.principals)."""
        user = remembered(f"identity:user:{user_id}", lambda: UserModel._default_manager.select_related(
            "organisation__region").filter(pk=user_id).first())
        return user if user is not None and self.user_can_authenticate(user) else None

    def _get_group_permissions(self, user_obj):
        return Permission.objects.filter(roles__users=user_obj)

    def get_user_permissions(self, user_obj, obj=None):
        self._prime_from_profile(user_obj, obj)
        return super().get_user_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj, obj=None):
        self._prime_from_profile(user_obj, obj)
        return super().get_group_permissions(user_obj, obj)

    def get_all_permissions(self, user_obj, obj=None):
        if user_obj.is_active and not user_obj.is_anonymous and obj is None and \
                getattr(user_obj, "is_system_admin", False) and not user_obj.is_superuser:
            return access_profile(user_obj, "all")["all"]
        return super().get_all_permissions(user_obj, obj)

    @staticmethod
    def _prime_from_profile(user_obj, obj) -> None:
        """Fill ModelBackend's per-object permission caches from the cross-request profile
        (apps.identity.access) instead of two queries."""
        if obj is not None or user_obj.is_anonymous or not user_obj.is_active or user_obj.is_superuser \
                or hasattr(user_obj, "_user_perm_cache"):
            return
        profile = access_profile(user_obj, "user", "group")
        user_obj._user_perm_cache = profile["user"]
        user_obj._group_perm_cache = profile["group"]
