"""The side navigation shows the entries a user holds the permission for, from one permission set."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.navigation import menu_for
from apps.core.tests.factories import grant
from apps.identity.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def labels(user):
    return {entry.url_name for _section, entries in menu_for(user) for entry in entries}


def test_menu_follows_permissions_and_costs_a_fixed_number_of_queries(orgs):
    clerk = StaffFactory(username="nav_clerk", organisation=orgs["harbin"])
    viewer = grant(StaffFactory(username="nav_viewer", organisation=orgs["harbin"]), "core.view_region",
                   role_code="nav-region")
    boss = StaffFactory(username="nav_root", organisation=orgs["harbin"], is_superuser=True)
    with CaptureQueriesContext(connection) as queries:
        shown = labels(viewer)
    assert "core:region-list" in shown and len(queries) <= 4       # roles + permissions, not one per entry
    assert "core:region-list" not in labels(clerk)
    assert labels(boss) >= shown | {"core:region-list"}
    boss.is_active = False
    assert "core:region-list" not in labels(boss)                   # an inactive superuser holds nothing
