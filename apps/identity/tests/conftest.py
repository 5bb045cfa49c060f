"""Identity test helpers: roles built from permission names, and the authorisation matrix."""
import pytest
from django.contrib.auth.models import Permission

from apps.identity.models import Role, RoleCode
from apps.identity.tests.factories import RoleFactory

PASSWORD = "Passw0rd!2026"


def permissions(*names: str) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def give(user, *names: str, code: str | None = None) -> Role:
    """Give `user` a role holding exactly the named permissions."""
    role = RoleFactory(code=code or f"r_{user.username}_{len(names)}_{user.roles.count()}",
                       name=code or f"角色{user.username}")
    role.permissions.add(*permissions(*names))
    user.roles.add(role)
    user.__dict__.pop("_perm_cache", None)
    user.__dict__.pop("_group_perm_cache", None)
    user.__dict__.pop("_role_codes", None)
    return role


USER_ADMIN_PERMS = ("identity.view_user", "identity.add_user", "identity.change_user", "identity.authorise_user",
                    "identity.view_role")


@pytest.fixture
def system_admin_role(db):
    return RoleFactory(code=RoleCode.SYSTEM_ADMIN, name="系统管理员")


@pytest.fixture
def harbin_admin(staff):
    """The Harbin bureau's user administrator (may manage Harbin's users)."""
    user = staff["harbin"]
    give(user, *USER_ADMIN_PERMS, code="harbin_user_admin")
    return user


@pytest.fixture
def qiqihar_admin(staff):
    """A user administrator of another city."""
    user = staff["qiqihar"]
    give(user, *USER_ADMIN_PERMS, code="qiqihar_user_admin")
    return user


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client
    return _login
