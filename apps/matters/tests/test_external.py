"""MAT-7.7 organisation sync with write-back to the original item library, and MAT-7.8 the power-and-
responsibility list (entry, import, links to implementation items, sent back to the list owner) — both
over real HTTP to their simulators, through the outbox."""
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from apps.core.models import Organisation, OutboxMessage, OutboxStatus
from apps.core.outbox import deliver
from apps.core.tests.factories import grant as core_grant
from apps.core.tests.factories import next_credit_code
from apps.identity.tests.factories import StaffFactory
from apps.matters.models import OrganisationChange, PowerItemLink, PowerListEntry
from apps.matters.services.declaration import catalogue_item_claim, matter_review, matter_submit
from apps.matters.services.org_sync import organisation_change_process, organisation_changes_receive
from apps.matters.services.powers import power_entries_import, power_entry_save, power_link_set
from apps.matters.tests.factories import establishment_user, grant

pytestmark = pytest.mark.django_db


def _deliver(peer):
    for message in OutboxMessage.objects.filter(peer=peer, status=OutboxStatus.PENDING).order_by("pk"):
        deliver(message.pk)


@pytest.fixture
def sync_admin(orgs):
    user = StaffFactory(username="org_sync_admin", organisation=orgs["province"])
    grant(user, "view_organisationchange", "process_organisationchange", "add_organisationchange")
    return core_grant(user, "core.add_organisation", "core.change_organisation")


@pytest.mark.spec("MAT-7.7")
def test_user_centre_changes_are_processed_on_the_page_and_written_back(item_library, sync_admin, orgs, regions,
                                                                        client, broker_down):
    new_code, bad_parent = next_credit_code("230102"), next_credit_code("230102")
    rows = [
        {"external_id": "UC-1", "operation": "add", "credit_code": new_code, "name": "道里区数据局",
         "region": "230102000000", "parent_credit_code": orgs["daoli_dept"].credit_code},
        {"external_id": "UC-2", "operation": "modify", "credit_code": orgs["daoli_dept"].credit_code,
         "name": "道里区市场监督管理局（更名）"},
        {"external_id": "UC-3", "operation": "delete", "credit_code": orgs["qiqihar"].credit_code},
        {"external_id": "UC-4", "operation": "add", "credit_code": bad_parent, "name": "错挂机构",
         "region": "230102000000", "parent_credit_code": orgs["qiqihar"].credit_code},   # parent outside region
    ]
    # bad rows: the whole batch is refused with reasons, nothing stored
    with pytest.raises(ValidationError, match="第2行"):
        organisation_changes_receive(rows=[rows[0], {"external_id": "", "operation": "move"}])
    assert OrganisationChange.objects.count() == 0
    # the user centre posts through the API (a repeated batch is received once)
    client.force_login(sync_admin)
    url = reverse("matters-org-changes")
    assert client.post(url, {"changes": rows}, content_type="application/json").json() == {"received": 4, "created": 4}
    assert client.post(url, {"changes": rows}, content_type="application/json").json()["created"] == 0
    # the page lists the pending changes
    page = client.get(reverse("matters:org-sync")).content.decode()
    assert all(f'data-change="UC-{n}"' in page for n in range(1, 5))
    # staff apply them on the page
    for external_id in ("UC-1", "UC-2", "UC-3", "UC-4"):
        change = OrganisationChange.objects.get(external_id=external_id)
        client.post(reverse("matters:org-sync"), {"change": change.pk, "action": "apply"})
    added = Organisation.objects.get(credit_code=new_code)
    assert added.parent == orgs["daoli_dept"] and added.region_id == "230102000000"
    assert Organisation.objects.get(pk=orgs["daoli_dept"].pk).name == "道里区市场监督管理局（更名）"
    assert Organisation.objects.get(pk=orgs["qiqihar"].pk).is_enabled is False
    failed = OrganisationChange.objects.get(external_id="UC-4")
    assert failed.status == "failed" and "区划" in failed.result
    assert not Organisation.objects.filter(credit_code=bad_parent).exists()
    # write-back over HTTP; the item library is down for the first attempt and gets it later
    item_library.inject_failures(1, 503)
    _deliver("item_library")
    first = OutboxMessage.objects.filter(peer="item_library").order_by("pk").first()
    assert (first.status, first.attempts) == (OutboxStatus.PENDING, 1) and "503" in first.last_error
    assert len(item_library.latest) == 3
    OutboxMessage.objects.filter(pk=first.pk).update(next_attempt_at=first.created_at)   # the sweep's later try
    _deliver("item_library")
    assert {k: v["status"] for k, v in item_library.latest.items()} == {
        "UC-1": "applied", "UC-2": "applied", "UC-3": "applied", "UC-4": "failed"}
    assert "区划" in item_library.latest["UC-4"]["result"]
    # a failed change can be declined with a reason; the new answer is written back too
    with pytest.raises(ValidationError, match="理由"):
        organisation_change_process(actor=sync_admin, change=failed, apply=False)
    organisation_change_process(actor=sync_admin, change=failed, apply=False, reason="上级机构有误，退回用户中心核实")
    _deliver("item_library")
    assert item_library.latest["UC-4"]["status"] == "ignored"
    with pytest.raises(ValidationError, match="已处理"):
        organisation_change_process(actor=sync_admin, change=failed, apply=True)
    page = client.get(reverse("matters:org-sync"), {"status": "ignored"}).content.decode()
    assert "上级机构有误" in page


def test_org_sync_authorisation(item_library, sync_admin, orgs, client, citizen):
    organisation_changes_receive(rows=[{"external_id": "UC-9", "operation": "modify",
                                        "credit_code": orgs["harbin_dept"].credit_code, "name": "改名"}])
    change = OrganisationChange.objects.get()
    url = reverse("matters:org-sync")
    assert client.get(url).status_code == 302                                   # anonymous → login
    client.force_login(citizen)
    assert client.get(url).status_code in (302, 403)
    clerk = StaffFactory(username="no_perm_clerk", organisation=orgs["harbin_dept"])
    client.force_login(clerk)
    assert client.get(url).status_code == 403
    assert client.post(reverse("matters-org-changes"), {"changes": []}, content_type="application/json"
                       ).status_code == 403
    viewer = grant(StaffFactory(username="sync_viewer", organisation=orgs["province"]), "view_organisationchange",
                   "process_organisationchange")                               # no kernel organisation permission
    with pytest.raises(PermissionDenied):
        organisation_change_process(actor=viewer, change=change, apply=True)
    change.refresh_from_db()
    assert change.status == "pending" and not OutboxMessage.objects.filter(peer="item_library").exists()
    assert Organisation.objects.get(pk=orgs["harbin_dept"].pk).name != "改名"


def _published_claim(people, published_item, orgs, regions):
    item = catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item,
                                implementing_body=orgs["daoli_dept"])
    matter_submit(actor=people["daoli"], item=item)
    matter_review(actor=establishment_user(regions["230102000000"], "daoli_bb"), item=item, approve=True)
    item.refresh_from_db()
    return item


def _workbook(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["权力编码", "权力名称", "权力类型", "设定依据", "责任事项", "追责情形"])
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.spec("MAT-7.8")
def test_power_list_entry_import_links_and_send_back(power_list_owner, people, orgs, regions, published_item, client):
    item = _published_claim(people, published_item, orgs, regions)
    clerk = grant(people["daoli"], "view_powerlistentry", "add_powerlistentry", "change_powerlistentry")
    client.force_login(clerk)
    # entry on the page; a duplicate code is refused with nothing written
    response = client.post(reverse("matters:power-list"), {
        "action": "enter", "department": orgs["daoli_dept"].pk, "code": "QZ-XK-001", "name": "食品经营许可",
        "power_type": "licensing", "legal_basis": "《食品安全法》第三十五条", "responsibilities": "受理、审查、决定"})
    entry = PowerListEntry.objects.get(code="QZ-XK-001")
    assert response.status_code == 302 and entry.department == orgs["daoli_dept"]
    response = client.post(reverse("matters:power-list"), {
        "action": "enter", "department": orgs["daoli_dept"].pk, "code": "QZ-XK-001", "name": "重复",
        "power_type": "licensing", "legal_basis": "x"})
    assert response.status_code == 400 and "已有权力编码" in response.content.decode()
    assert PowerListEntry.objects.count() == 1
    # import: one bad row → nothing imported; fixed → all imported
    bad = _workbook([["QZ-CF-001", "食品安全违法行为处罚", "行政处罚", "《食品安全法》第一百二十二条", "", ""],
                     ["QZ-JC-001", "", "行政检查", "", "", ""]])
    response = client.post(reverse("matters:power-list"), {
        "action": "import", "department": orgs["daoli_dept"].pk, "file": SimpleUploadedFile("p.xlsx", bad)})
    assert response.status_code == 400 and "第3行" in response.content.decode()
    assert PowerListEntry.objects.count() == 1
    good = _workbook([["QZ-CF-001", "食品安全违法行为处罚", "行政处罚", "《食品安全法》第一百二十二条", "立案、调查", "滥用职权"],
                      ["QZ-JC-001", "食品生产经营监督检查", "行政检查", "《食品安全法》第一百一十条", "", ""]])
    client.post(reverse("matters:power-list"), {
        "action": "import", "department": orgs["daoli_dept"].pk, "file": SimpleUploadedFile("p.xlsx", good)})
    assert PowerListEntry.objects.get(code="QZ-CF-001").power_type == "penalty"
    # link the licensing power to the implementation item on its page
    client.post(reverse("matters:power-entry", args=[entry.pk]), {"items": [item.pk]})
    assert list(PowerItemLink.objects.values_list("entry__code", "implementation_item_id")) == [("QZ-XK-001", item.pk)]
    page = client.get(reverse("matters:power-entry", args=[entry.pk])).content.decode()
    assert f'data-linked="{item.implementation_code}"' in page
    # the API gives the entry with its links
    rows = client.get(reverse("matters-power-list"), {"q": "QZ-XK"}).json()["results"]
    assert [(r["code"], [link["implementation_code"] for link in r["links"]]) for r in rows] == [
        ("QZ-XK-001", [item.implementation_code])]
    # the owner receives the list data with the links over HTTP
    _deliver("power_list")
    assert set(power_list_owner.latest) == {"QZ-XK-001", "QZ-CF-001", "QZ-JC-001"}
    assert power_list_owner.latest["QZ-XK-001"]["links"] == [{"implementation_code": item.implementation_code,
                                                               "name": item.name}]
    # unlinking is sent back too
    power_link_set(actor=clerk, entry=entry, items=[])
    _deliver("power_list")
    assert power_list_owner.latest["QZ-XK-001"]["links"] == []


def test_power_list_scope_and_refusals(power_list_owner, people, orgs, regions, published_item, client, citizen):
    item = _published_claim(people, published_item, orgs, regions)
    daoli = grant(people["daoli"], "view_powerlistentry", "add_powerlistentry", "change_powerlistentry")
    qiqihar = grant(people["qiqihar"], "view_powerlistentry", "add_powerlistentry", "change_powerlistentry")
    data = {"code": "P1", "name": "许可", "power_type": "licensing", "legal_basis": "依据"}
    with pytest.raises(ValidationError, match="本部门"):
        power_entry_save(actor=qiqihar, department=orgs["daoli_dept"], data=data)
    with pytest.raises(ValidationError) as refused:
        power_entry_save(actor=daoli, department=orgs["daoli_dept"], data={**data, "power_type": "x", "name": ""})
    assert set(refused.value.message_dict) == {"power_type", "name"}
    with pytest.raises(PermissionDenied):
        power_entry_save(actor=StaffFactory(username="np", organisation=orgs["daoli_dept"]),
                         department=orgs["daoli_dept"], data=data)
    entry = power_entry_save(actor=daoli, department=orgs["daoli_dept"], data=data)
    with pytest.raises(ValidationError, match="本部门"):
        power_link_set(actor=qiqihar, entry=entry, items=[item])
    with pytest.raises(ValidationError):
        power_entries_import(actor=daoli, department=orgs["daoli_dept"], rows=[])
    assert PowerItemLink.objects.count() == 0 and PowerListEntry.objects.count() == 1
    client.force_login(qiqihar)
    assert client.get(reverse("matters:power-entry", args=[entry.pk])).status_code == 404   # other region
    assert client.get(reverse("matters-power-list")).json()["results"] == []
    client.force_login(citizen)
    assert client.get(reverse("matters:power-list")).status_code in (302, 403)
    client.logout()
    assert client.get(reverse("matters-power-list")).status_code in (401, 403)
