"""E-licence catalogue links through the registered interface (MAT-4.1.1, 4.1.2) and data demands (4.2.3–4.2.5)."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.core.tests.factories import OrganisationFactory
from apps.identity.tests.factories import StaffFactory
from apps.matters.models import DemandStatus, LicenceLink
from apps.matters.services.declaration import catalogue_item_claim
from apps.matters.services.resources import (
    LinkConfirmationRequired, data_demand_confirm, data_demand_feedback, data_demand_integrated, data_demand_reject,
    data_demand_submit, demands_for_source, licence_link_create,
)
from apps.matters.tests.factories import grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(licence_system):
    """The real licences provider with one catalogue entry (a valid licence template)."""
    licence_system.add_entry("11230000MB0001", "食品经营许可证")
    return licence_system


@pytest.fixture
def claims(published_item, people, orgs):
    return {key: catalogue_item_claim(actor=people[key], catalogue_item=published_item, implementing_body=body)
            for key, body in (("harbin", orgs["harbin_dept"]), ("daoli", orgs["daoli_dept"]))}


@pytest.mark.spec("MAT-4.1.1", "MAT-4.1.2")
def test_duplicate_licence_link_needs_confirmation_naming_unit_and_item(catalogue, claims, people):
    harbin, daoli = claims["harbin"], claims["daoli"]
    with pytest.raises(ValidationError, match="没有编码为"):
        licence_link_create(actor=people["harbin"], item=harbin, catalogue_code="X", target="result",
                            index_rule=["credit_code"])
    with pytest.raises(ValidationError, match="证照获取规则"):
        licence_link_create(actor=people["harbin"], item=harbin, catalogue_code="11230000MB0001", target="result",
                            index_rule=[])
    licence_link_create(actor=people["harbin"], item=harbin, catalogue_code="11230000MB0001", target="result",
                        index_rule=["credit_code", "id_number"])
    with pytest.raises(LinkConfirmationRequired) as refused:
        licence_link_create(actor=people["daoli"], item=daoli, catalogue_code="11230000MB0001", target="result",
                            index_rule=["credit_code"])
    assert refused.value.messages == ["该证照已被哈尔滨市市场监督管理局的食品经营许可事项关联，请确认是否继续关联？"]
    assert LicenceLink.objects.count() == 1
    licence_link_create(actor=people["daoli"], item=daoli, catalogue_code="11230000MB0001", target="result",
                        index_rule=["credit_code"], confirm=True)
    assert LicenceLink.objects.count() == 2


def test_linking_without_the_licence_interface_is_refused(claims, people, no_licence_interface):
    with pytest.raises(ValidationError, match="电子证照目录接口尚未接入"):
        licence_link_create(actor=people["harbin"], item=claims["harbin"], catalogue_code="X", target="result",
                            index_rule=["credit_code"])


@pytest.mark.spec("MAT-4.2.3", "MAT-4.2.4", "MAT-4.2.5")
def test_data_demand_lifecycle(claims, people, regions):
    source_org = OrganisationFactory(name="黑龙江省公安厅", region=regions["230000000000"])
    source_user = StaffFactory(username="gat", organisation=source_org)
    requester = grant(people["daoli"], "add_datademand")
    first = data_demand_submit(actor=requester, item=claims["daoli"], source=source_org, content="人口基本信息核验")
    second = data_demand_submit(actor=requester, item=claims["daoli"], source=source_org, content="户籍信息")
    assert set(demands_for_source(user=source_user)) == {first, second}      # aggregated for the source
    assert first.status == DemandStatus.UNCONFIRMED
    with pytest.raises(PermissionDenied):
        data_demand_confirm(actor=requester, demand=first)
    data_demand_confirm(actor=source_user, demand=first)
    assert first.get_status_display() == "已确认"
    with pytest.raises(ValidationError, match="对接方式"):
        data_demand_feedback(actor=source_user, demand=first, api_details="")
    data_demand_feedback(actor=source_user, demand=first, api_details="共享平台接口 /api/population/verify")
    assert first.get_status_display() == "已反馈" and "verify" in first.api_details
    data_demand_integrated(actor=requester, demand=first)
    assert first.get_status_display() == "已对接"
    with pytest.raises(ValidationError, match="说明理由"):
        data_demand_reject(actor=source_user, demand=second, reason="")
    data_demand_reject(actor=source_user, demand=second, reason="户籍信息不属于本部门提供")
    assert second.status == DemandStatus.REJECTED and second.reject_reason
