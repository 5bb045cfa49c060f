"""Roles and permissions are remembered across requests and forgotten the moment they change."""
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.identity.models import Role
from apps.identity.tests.conftest import give, permissions


def _permission_queries(queries) -> int:
    """Queries loading the user's role codes or permission names (not the page's own role lists)."""
    return sum(q["sql"].startswith('SELECT "identity_role"."code" AS "code"') or "auth_permission" in q["sql"]
               for q in queries)


def test_a_repeated_page_does_not_reload_roles_and_permissions(client, staff):
    clerk = staff["harbin"]
    give(clerk, "identity.view_user")
    client.force_login(clerk)
    url = reverse("identity:user-list")
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(url).status_code == 200
    assert _permission_queries(first.captured_queries) >= 2
    assert _permission_queries(second.captured_queries) == 0


def test_taking_a_role_away_ends_access_on_the_next_request(client, staff):
    clerk = staff["harbin"]
    role = give(clerk, "identity.view_user")
    client.force_login(clerk)
    url = reverse("identity:user-list")
    assert client.get(url).status_code == 200
    clerk.roles.remove(role)
    assert client.get(url).status_code == 403


def test_changing_a_roles_permissions_or_deleting_the_role_takes_effect_at_once(client, staff):
    clerk = staff["harbin"]
    role = give(clerk, "identity.view_role")
    client.force_login(clerk)
    url = reverse("identity:user-list")
    assert client.get(url).status_code == 403
    role.permissions.add(*permissions("identity.view_user"))
    assert client.get(url).status_code == 200
    Role.objects.filter(pk=role.pk).delete()
    assert client.get(url).status_code == 403


def test_a_permission_given_to_the_user_directly_takes_effect_at_once(client, staff):
    clerk = staff["harbin"]
    client.force_login(clerk)
    url = reverse("identity:user-list")
    assert client.get(url).status_code == 403
    clerk.user_permissions.add(*permissions("identity.view_user"))
    assert client.get(url).status_code == 200
