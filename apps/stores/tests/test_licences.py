"""STORE-6: a store shows its electronic-licence catalogue with the number of valid licences per entry; a
search by licence name returns the licences with number, holder and holder code masked."""
import pytest
from django.urls import reverse

from apps.core.tests.factories import OrganisationFactory
from apps.identity.tests.factories import StaffFactory
from apps.licences.models import Licence, LicenceStatus
from apps.licences.tests.factories import licence_data, licence_template
from apps.stores.models import StoreLevel
from apps.stores.services.stores import store_open, store_publish, store_template_create
from apps.stores.tests.conftest import staff_with

pytestmark = pytest.mark.django_db


def make_licence(template, issuer, clerk, n, status=LicenceStatus.VALID, **overrides):
    return Licence.objects.create(template=template, issuer=issuer, created_by=clerk, status=status,
                                  holder_kind="legal_person", licence_code=f"LC-{template.pk}-{n}",
                                  **licence_data(n, **overrides))


@pytest.fixture
def store_with_licences(regions, orgs):
    admin = staff_with("lic_store_admin", orgs["province"], "stores.manage_flagshipstore")
    store_template_create(actor=admin, level=StoreLevel.CITY, city=regions["230100000000"])
    store = store_publish(actor=admin, store=store_open(actor=admin, level=StoreLevel.CITY, organisation=orgs["harbin_dept"],
                                                        region=regions["230100000000"], slug="harbin-scj",
                                                        name="哈尔滨市市场监管旗舰店"))
    clerk = StaffFactory(username="lic_clerk", organisation=orgs["harbin_dept"])
    food = licence_template(orgs["harbin_dept"])
    drug = licence_template(orgs["daoli_dept"], name="药品经营许可证")                       # a department below
    other = licence_template(OrganisationFactory(name="齐齐哈尔市市场监管局", region=regions["230200000000"]),
                             name="特种设备使用登记证")
    for n in range(1, 4):
        make_licence(food, orgs["harbin_dept"], clerk, n)
    make_licence(food, orgs["harbin_dept"], clerk, 9, status=LicenceStatus.CANCELLED)
    make_licence(drug, orgs["daoli_dept"], clerk, 20, name="药品经营许可证", holder_name="道里区康复大药房有限公司")
    make_licence(other, orgs["harbin_dept"], clerk, 30, name="特种设备使用登记证")
    return store


@pytest.mark.spec("STORE-6")
def test_catalogue_shows_counts_and_search_results_are_masked(client, store_with_licences,
                                                               django_assert_max_num_queries):
    url = reverse("stores-public:licences", args=["harbin-scj"])
    with django_assert_max_num_queries(4):
        html = client.get(url).content.decode()
    catalogue = html.split('data-testid="licence-catalogue"')[1].split("</table>")[0]
    assert 'data-catalogue="食品经营许可证"' in catalogue and 'data-catalogue="药品经营许可证"' in catalogue
    assert "特种设备使用登记证" not in catalogue                                    # another city's catalogue
    food_row = catalogue.split('data-catalogue="食品经营许可证"')[1].split("</tr>")[0]
    assert "<td data-count>3</td>" in food_row                                   # the cancelled one not counted
    html = client.get(url, {"q": "食品经营"}).content.decode()
    results = html.split('data-testid="licence-results"')[1].split("</table>")[0]
    assert results.count("<tr>") == 4                                           # header + 3 valid licences
    assert "JY1230100000001" not in results and "JY**********001" in results
    assert "哈尔滨冰城餐饮1有限公司" not in results and "哈尔滨*****有限公司" in results
    assert "91230100MA1B2C3D4E" not in results and "91**************4E" in results
    html = client.get(url, {"q": "药品"}).content.decode()
    assert "道里区*****有限公司" in html
    assert "没有找到" in client.get(url, {"q": "特种设备"}).content.decode()
