"""Business adaptation (MAT-2.2.1): one implementation item per catalogue item by default; the region
switch allows several, each matched to a business item with its own unique code."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.identity.tests.factories import StaffFactory
from apps.matters.models import ImplementationItem
from apps.matters.services.business import business_item_add, implementation_setting_set
from apps.matters.services.declaration import catalogue_item_claim
from apps.matters.tests.factories import grant

pytestmark = pytest.mark.django_db


@pytest.mark.spec("MAT-2.2.1")
def test_switch_allows_several_items_each_with_a_business_item_and_unique_code(published_item, people, orgs, regions):
    body = orgs["daoli_dept"]
    first = catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item, implementing_body=body)
    with pytest.raises(ValidationError, match="默认一个目录事项只能生成一条实施清单"):
        catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item, implementing_body=body)
    admin = grant(StaffFactory(username="hrb_admin", organisation=orgs["harbin_dept"]),
                  "change_implementationsetting", "add_businessitem")
    with pytest.raises(PermissionDenied):
        implementation_setting_set(actor=admin, region=regions["230200000000"], allow_multiple=True)
    implementation_setting_set(actor=admin, region=regions["230100000000"], allow_multiple=True)   # inherited below
    renewal = business_item_add(actor=admin, region=regions["230100000000"], catalogue_item=published_item,
                                code="01", name="食品经营许可（延续）")
    change = business_item_add(actor=admin, region=regions["230100000000"], catalogue_item=published_item,
                               code="02", name="食品经营许可（变更）")
    with pytest.raises(ValidationError, match="须对应一个业务项"):
        catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item, implementing_body=body)
    first.acceptance_conditions = "区里补充的受理条件"
    first.save(update_fields=["acceptance_conditions"])
    second = catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item, implementing_body=body,
                                  business_item=renewal)
    third = catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item, implementing_body=body,
                                 business_item=change)
    with pytest.raises(ValidationError, match="已生成实施清单"):
        catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item, implementing_body=body,
                             business_item=change)
    codes = [first.implementation_code, second.implementation_code, third.implementation_code]
    assert len(set(codes)) == 3 and second.implementation_code == first.implementation_code + "01"
    assert third.implementation_code == first.implementation_code + "02" and len(third.implementation_code) == 33
    assert all(published_item.basic_code in code for code in codes)
    assert second.acceptance_conditions == "区里补充的受理条件"             # copied from the first: no re-entry
    assert second.business_item == renewal and second.materials.count() == first.materials.count()
    # Qiqihar (switch not on there) still gets the default
    qq = catalogue_item_claim(actor=people["qiqihar"], catalogue_item=published_item,
                              implementing_body=people["qiqihar"].organisation)
    with pytest.raises(ValidationError, match="默认一个"):
        catalogue_item_claim(actor=people["qiqihar"], catalogue_item=published_item, implementing_body=qq.implementing_body,
                             business_item=renewal)
    assert ImplementationItem.objects.count() == 4
