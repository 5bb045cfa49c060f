"""Front-end application subsystem (前端应用, ACC-1.0) as a citizen meets it: find the hall and the item on the public
site, open the online application with its materials checklist, submit with a file, follow the status — on the PC
site and from the APP channel (the channel is recorded on the case). Bad input writes nothing."""
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.acceptance.models import Attachment, Case, CaseStatus
from apps.acceptance.services import onewindow as ow
from apps.acceptance.tests import factories as f
from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(hall):
    bookable = f.bookable(hall, "食品经营许可")
    f.with_materials(bookable.matter)
    return bookable


@pytest.mark.spec("ACC-1.0")
def test_citizen_finds_the_item_applies_online_and_follows_the_status(client, orgs, hall, offer):
    citizen = UserFactory(username="front_citizen", kind=UserKind.NATURAL_PERSON, full_name="李四")
    halls = client.get(reverse("acceptance-public:halls")).content.decode()
    assert hall.name in halls and reverse("acceptance-public:hall", args=[hall.pk]) in halls
    hall_page = client.get(reverse("acceptance-public:hall", args=[hall.pk]), {"matter": offer.pk}).content.decode()
    apply_url = reverse("acceptance-public:apply", args=[offer.matter_id])
    assert "食品经营许可" in hall_page and apply_url in hall_page

    assert client.get(apply_url).status_code == 302                    # login first
    client.force_login(citizen)
    form = client.get(apply_url).content.decode()
    assert "申请书" in form and "营业执照复印件" in form and 'value="李四"' in form   # pre-filled from the account
    required = offer.matter.materials.get(name="申请书")
    base = {"applicant_name": "李四", "applicant_id_number": f.id_number(7), "applicant_mobile": "13900000007"}

    # missing required material / forbidden file / bad ID number: refused, nothing written
    for data in (base, {**base, f"file_{required.pk}": f.upload("申请书.exe", b"MZ")},
                 {**base, "applicant_id_number": "123", f"file_{required.pk}": f.upload()}):
        refused = client.post(apply_url, data)
        assert refused.status_code == 200 and not Case.objects.exists() and not Attachment.objects.exists()

    done = client.post(apply_url + "?channel=app", {**base, f"file_{required.pk}": f.upload("申请书.pdf")})
    assert done.status_code == 302
    case = Case.objects.get()
    assert (case.status, case.channel, case.applicant) == (CaseStatus.PENDING_PRE_REVIEW, "app", citizen)
    assert Attachment.objects.get(case=case).original_name == "申请书.pdf"
    progress = client.get(done["Location"]).content.decode()
    assert case.case_number in progress and "待预审" in progress and f.id_number(7) not in progress

    # the hall's staff pre-review it; the citizen sees the new status on the same page and in the API
    ow.case_pre_review(case=case, actor=f.clerk(orgs["harbin_dept"]), decision="pass", opinion="材料齐全")
    case.refresh_from_db()
    assert case.get_status_display() in client.get(done["Location"]).content.decode()
    api = APIClient()
    api.force_authenticate(citizen)
    assert [(c["case_number"], c["status"]) for c in api.get("/api/v1/acceptance/cases/").json()] == [
        (case.case_number, case.status)]
    other = APIClient()
    other.force_authenticate(UserFactory(username="front_other", kind=UserKind.NATURAL_PERSON))
    assert other.get("/api/v1/acceptance/cases/").json() == []         # another citizen sees none of it
