"""Admin: users listed with masked numbers and useful filters; roles and access requests registered."""
import pytest
from django.urls import reverse

from apps.identity.tests.factories import AccessRequestFactory, RoleFactory


@pytest.mark.spec("PORTAL-9.2")
def test_user_changelist_masks_mobile_and_filters_by_kind_region_and_role(admin_client, staff, orgs):
    user = staff["daoli_dept"]
    user.mobile_number = "13812345678"
    user.save()
    role = RoleFactory(code="checker", name="检查人员")
    user.roles.add(role)
    url = reverse("admin:identity_user_changelist")
    html = admin_client.get(url).content.decode()
    assert "138****5678" in html and "13812345678" not in html
    assert "staff_daoli_dept" in admin_client.get(url, {"region": "230100000000"}).content.decode()
    assert "staff_daoli_dept" not in admin_client.get(url, {"region": "230200000000"}).content.decode()
    assert "staff_daoli_dept" in admin_client.get(url, {"roles__id__exact": role.pk}).content.decode()
    assert "staff_daoli_dept" in admin_client.get(url, {"q": "daoli", "kind__exact": "staff"}).content.decode()


def test_role_and_access_request_admin_pages_open(admin_client, staff):
    RoleFactory(code="reviewer", name="审核人员")
    AccessRequestFactory(applicant=staff["harbin"])
    assert "审核人员" in admin_client.get(reverse("admin:identity_role_changelist")).content.decode()
    page = admin_client.get(reverse("admin:identity_systemaccessrequest_changelist")).content.decode()
    assert "数据资源共享系统" in page
    role_add = admin_client.get(reverse("admin:identity_role_add")).content.decode()
    assert "selectfilter" in role_add or "filter_horizontal" in role_add or "SelectFilter" in role_add
