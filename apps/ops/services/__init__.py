"""Writes of ops. Every function checks the actor's permission (None = the system itself, e.g. the
Syslog receiver or a Celery task) and runs in one transaction."""
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require(actor, *perms: str) -> None:
    """Raise PermissionDenied unless `actor` is the system (None) or holds every permission."""
    if actor is None:
        return
    if not actor.is_authenticated or not all(actor.has_perm(p) for p in perms):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
