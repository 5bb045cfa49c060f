"""What every login method shares: find the account linked to an outside identity, link one, and
record the login (method in the session for trust passing, audit record, last use of the link)."""
from __future__ import annotations

from django.contrib.auth import login
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.audit import audit_record
from apps.identity.models import ExternalIdentity, LoginMethod, User

BACKEND = "apps.identity.backends.RolePermissionBackend"
LOGIN_METHOD_SESSION_KEY = "identity_login_method"


def linked_user(*, provider: str, external_id: str) -> User | None:
    link = (ExternalIdentity.objects.select_related("user")
            .filter(provider=provider, external_id=external_id, user__is_active=True).first())
    return link.user if link else None


def identity_link(*, user: User, provider: str, external_id: str) -> ExternalIdentity:
    """Bind an outside identity to `user` (idempotent; an identity bound elsewhere stays there)."""
    try:
        with transaction.atomic():
            link, _created = ExternalIdentity.objects.get_or_create(
                provider=provider, external_id=external_id, defaults={"user": user})
    except IntegrityError:
        link = ExternalIdentity.objects.get(provider=provider, external_id=external_id)
    return link


def login_record(*, user: User, method: str, provider: str = "", external_id: str = "") -> None:
    """Audit one successful login by `method` (counted by the login-volume report)."""
    if provider and external_id:
        ExternalIdentity.objects.filter(provider=provider, external_id=external_id).update(
            last_login_at=timezone.now())
    if not user.is_staff_user:   # staff logins are recorded by the kernel's user_logged_in receiver
        audit_record(actor=user, action="login", obj=user, detail=f"登录方式：{LoginMethod(method).label}")


def sign_in(request, user: User, method: str, *, provider: str = "", external_id: str = "") -> None:
    """Start the provincial session for `user`, remembering how they logged in (IDN-4.2)."""
    login(request, user, backend=BACKEND)
    request.session[LOGIN_METHOD_SESSION_KEY] = str(method)
    login_record(user=user, method=method, provider=provider, external_id=external_id)


def session_login_method(request) -> str:
    return request.session.get(LOGIN_METHOD_SESSION_KEY) or LoginMethod.PASSWORD
