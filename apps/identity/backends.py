"""Authentication backend that grants the permissions of a staff user's roles."""
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class RolePermissionBackend(ModelBackend):
    """Django's ModelBackend, with roles in the place of groups."""

    def _get_group_permissions(self, user_obj):
        return Permission.objects.filter(roles__users=user_obj)
