"""Data scope: province sees all, a city bureau its city, a department its own records."""

from apps.core.models import Organisation
from apps.core.scope import restrict
from apps.identity.models import User


def test_organisation_list_is_cut_to_region_of_region_wide_bureaus(staff, orgs):
    visible = lambda user: set(restrict(Organisation.objects.all(), user).values_list("name", flat=True))  # noqa: E731
    assert visible(staff["province"]) == {o.name for o in orgs.values()}
    assert visible(staff["harbin"]) == {"哈尔滨市营商环境建设监督局", "哈尔滨市市场监督管理局", "道里区市场监督管理局"}
    assert visible(staff["qiqihar"]) == {"齐齐哈尔市营商环境建设监督局"}


def test_department_sees_own_organisation_subtree_of_users(staff):
    names = set(restrict(User.objects.all(), staff["harbin_dept"]).values_list("username", flat=True))
    assert names == {"staff_harbin_dept", "staff_daoli_dept"}
    names = set(restrict(User.objects.all(), staff["daoli_dept"]).values_list("username", flat=True))
    assert names == {"staff_daoli_dept"}


def test_anonymous_and_public_users_see_no_staff(staff, citizen):
    from django.contrib.auth.models import AnonymousUser

    assert not restrict(User.objects.all(), AnonymousUser()).exists()
    assert not restrict(User.objects.all(), citizen).exists()
