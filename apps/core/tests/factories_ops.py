"""Factories and helpers for the audit log and jobs tests."""
import factory
from django.contrib.auth.models import Permission

from apps.core.models.audit import AuditAction, AuditLog
from apps.core.models.jobs import JobRun
from apps.identity.models import Role


def grant(user, *perms: str):
    """Give `user` a role holding the permissions ("core.view_auditlog", ...)."""
    role = Role.objects.create(code=f"r-{user.username}-{Role.objects.count()}", name="测试角色")
    for perm in perms:
        app_label, codename = perm.split(".")
        role.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    user.roles.add(role)
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache", "_access_profile"):
        user.__dict__.pop(cache, None)
    return user


class AuditLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditLog

    action = AuditAction.UPDATE
    actor_username = factory.LazyAttribute(lambda o: o.actor.username if o.actor else "")
    actor_organisation = factory.LazyAttribute(lambda o: o.actor.organisation if o.actor else None)
    actor = None
    method = "POST"
    path = "/portal/x/"
    ip = "10.0.0.1"


class JobRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobRun

    kind = "test.kind"
    title = factory.Sequence(lambda n: f"任务{n}")
    created_by = None
    organisation = factory.LazyAttribute(lambda o: o.created_by.organisation if o.created_by else None)
