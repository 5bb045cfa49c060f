"""★ Chapter journey MAT-7 (upgrade of the original item library): a department sorts a legacy item into
a temporary entry and reuses it as a standard draft (seen on its page); the intermediate DB reports a
broken online address of a live item, corrected on the address-error page as a new version reported
upward; the unified user centre posts an organisation change, applied on the sync page and written back
to the original item library over HTTP."""
import pytest
from django.urls import reverse

from apps.core.models import Organisation, OutboxMessage, OutboxStatus
from apps.core.outbox import deliver
from apps.core.tests.factories import grant as core_grant
from apps.identity.tests.factories import StaffFactory
from apps.matters.models import AddressError, OrganisationChange
from apps.matters.services.declaration import catalogue_item_claim, matter_review, matter_submit
from apps.matters.services.upgrade import address_errors_receive, temporary_item_save, temporary_reuse
from apps.matters.tests.factories import establishment_user, grant

pytestmark = pytest.mark.django_db


def _deliver(peer):
    for message in OutboxMessage.objects.filter(peer=peer, status=OutboxStatus.PENDING).order_by("pk"):
        deliver(message.pk)


@pytest.mark.spec("MAT-7")
def test_original_item_library_upgrade_journey(client, people, orgs, published_item, item_library,
                                               national_platform, broker_down):
    # 7.1 / 7.2: a legacy item sorted as a temporary entry, reused as a standard draft
    clerk = grant(people["harbin"], "add_temporaryitem")
    temp = temporary_item_save(actor=clerk, title="犬只登记", fields={
        "依据": "《哈尔滨市养犬管理条例》", "地址": "道里区政务服务中心", "投诉电话": "12345", "法定期限": "20个工作日",
        "承诺时限": "5个工作日"})
    draft = temporary_reuse(actor=clerk, temporary=temp, matter_type="01")
    client.force_login(clerk)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "犬只登记" in page and "《哈尔滨市养犬管理条例》" in page and "道里区政务服务中心" in page
    # a live implementation item of Daoli
    live = catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item,
                                implementing_body=orgs["daoli_dept"])
    matter_submit(actor=people["daoli"], item=live)
    matter_review(actor=establishment_user(live.region, "daoli_bb"), item=live, approve=True)
    # 7.9: the intermediate DB reports its online address unreachable; the department corrects it on the page
    assert address_errors_receive(rows=[{"source_id": "E1", "implementation_code": live.implementation_code,
                                         "category": "unreachable", "detail": "HTTP 404"}])["created"] == 1
    owner = grant(people["daoli"], "view_addresserror", "change_addresserror")
    client.force_login(owner)
    assert f'data-error="{live.name}"' in client.get(reverse("matters:address-errors")).content.decode()
    client.post(reverse("matters:address-errors"), {
        "error": AddressError.objects.get().pk, "pc_url": "https://zwfw.hlj.gov.cn/pc/7",
        "mobile_url": "https://zwfw.hlj.gov.cn/m/7", "online_url": "https://zwfw.hlj.gov.cn/item/7"})
    live.refresh_from_db()
    assert (live.version, live.online_handling_url) == (2, "https://zwfw.hlj.gov.cn/item/7")
    assert OutboxMessage.objects.filter(idempotency_key=f"matters:implementation:{live.pk}:v2").exists()
    # 7.7: the user centre renames the Daoli department; staff apply it; the result goes back over HTTP
    admin = StaffFactory(username="org_sync_admin", organisation=orgs["province"])
    grant(admin, "view_organisationchange", "process_organisationchange", "add_organisationchange")
    core_grant(admin, "core.add_organisation", "core.change_organisation")
    client.force_login(admin)
    row = {"external_id": "UC-9", "operation": "modify", "credit_code": orgs["daoli_dept"].credit_code,
           "name": "道里区市场监督管理局（更名）"}
    assert client.post(reverse("matters-org-changes"), {"changes": [row]},
                       content_type="application/json").json()["created"] == 1
    assert 'data-change="UC-9"' in client.get(reverse("matters:org-sync")).content.decode()
    client.post(reverse("matters:org-sync"), {"change": OrganisationChange.objects.get().pk, "action": "apply"})
    assert Organisation.objects.get(pk=orgs["daoli_dept"].pk).name == "道里区市场监督管理局（更名）"
    _deliver("item_library")
    assert item_library.latest["UC-9"]["status"] == "applied"
