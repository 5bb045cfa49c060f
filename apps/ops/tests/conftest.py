import pytest

from apps.core.tests.factories import grant
from apps.identity.tests.factories import StaffFactory

ANALYST_PERMS = ("ops.view_security", "ops.view_workorder", "ops.add_workorder", "ops.view_assets", "ops.change_alert")


@pytest.fixture
def ops_team(orgs):
    """An analyst (creates work_orders), an engineer (owns them), a work_order manager, and staff without ops rights."""
    province = orgs["province"]
    analyst = grant(StaffFactory(username="analyst", full_name="分析员甲", organisation=province,
                                 mobile_number="13900000001", email="analyst@example.cn"), *ANALYST_PERMS,
                    role_code="ops-analyst")
    engineer = grant(StaffFactory(username="engineer", full_name="工程师乙", organisation=province,
                                  mobile_number="13900000002", email="engineer@example.cn"), "ops.view_workorder",
                     "ops.view_security", role_code="ops-engineer")
    manager = grant(StaffFactory(username="opsmanager", full_name="主管丙", organisation=province,
                                 mobile_number="13900000003", email=""), *ANALYST_PERMS, "ops.manage_work_orders",
                    "ops.manage_assets", "ops.add_finding", "ops.manage_security_rules", "ops.add_threatindicator",
                    "ops.add_logevent", role_code="ops-manager")
    outsider = StaffFactory(username="outsider", organisation=province)
    return {"analyst": analyst, "engineer": engineer, "manager": manager, "outsider": outsider}
