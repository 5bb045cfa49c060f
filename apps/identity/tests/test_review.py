"""Review of registrations: manual review page (IDN-5.2), temporary legal persons highlighted with
a checklist without the credit code (IDN-10.2), and the 24-hourly automatic review job (IDN-5.2)."""
import pytest
from django_celery_beat.models import PeriodicTask

from apps.core.models import StateTransition
from apps.identity.models import (
    RealNameLevel,
    RealNameVerification,
    ReviewStatus,
    UserKind,
)
from apps.identity.services.review import registration_auto_review
from apps.identity.tests.conftest import PERSON_ID, PERSON_NAME, give
from apps.identity.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(staff):
    user = staff["province"]
    give(user, "identity.review_registration")
    return user


def pending_person(**extra):
    values = {"kind": UserKind.NATURAL_PERSON, "review_status": ReviewStatus.PENDING, "id_type": "resident_id",
              "id_number": PERSON_ID, "full_name": PERSON_NAME, "real_name_level": RealNameLevel.BASIC}
    return UserFactory(**{**values, **extra})


def temporary_legal(**extra):
    return UserFactory(kind=UserKind.LEGAL_PERSON, review_status=ReviewStatus.PENDING, is_temporary_legal_person=True,
                       full_name="临时商贸有限公司", legal_representative=PERSON_NAME, id_type="resident_id",
                       id_number=PERSON_ID, real_name_level=RealNameLevel.BASIC, **extra)


def test_review_pages_authorisation_matrix(client, reviewer, staff, citizen):
    applicant = pending_person(username="matrix_applicant")
    for url in ("/portal/identity/reviews/", f"/portal/identity/reviews/{applicant.pk}/"):
        assert client.get(url).status_code == 302
        client.force_login(citizen)
        assert client.get(url).status_code in (302, 403)
        client.force_login(staff["qiqihar"])
        assert client.get(url).status_code == 403
        client.force_login(reviewer)
        assert client.get(url).status_code == 200
        client.logout()


@pytest.mark.spec("IDN-5.2", "IDN-10.2")
def test_manual_review_with_temporary_legal_person_highlighted(client, reviewer):
    person = pending_person(username="applicant_person")
    temporary = temporary_legal(username="applicant_temp")
    client.force_login(reviewer)
    page = client.get("/portal/identity/reviews/").content.decode()
    table = page.split('data-testid="review-table"')[1]
    assert table.index("applicant_temp") < table.index("applicant_person")              # temporary first
    assert 'class="review-temporary"' in table and 'data-testid="temporary-badge"' in table
    detail = client.get(f"/portal/identity/reviews/{temporary.pk}/").content.decode()
    checklist = detail.split('data-testid="checklist"')[1].split("</ul>")[0]
    assert "法定代表人" in checklist and "统一社会信用代码" not in checklist
    person_checklist = client.get(f"/portal/identity/reviews/{person.pk}/").content.decode()
    assert "证件有效期" in person_checklist
    # a rejection without an opinion is refused, nothing changes
    client.post(f"/portal/identity/reviews/{person.pk}/", {"decision": "reject", "opinion": ""})
    person.refresh_from_db()
    assert person.review_status == ReviewStatus.PENDING and not StateTransition.objects.filter(
        object_id=str(person.pk), action="review_reject").exists()
    client.post(f"/portal/identity/reviews/{person.pk}/", {"decision": "reject", "opinion": "证件照片不清晰"})
    client.post(f"/portal/identity/reviews/{temporary.pk}/", {"decision": "approve"})
    person.refresh_from_db()
    temporary.refresh_from_db()
    assert person.review_status == ReviewStatus.REJECTED and temporary.review_status == ReviewStatus.APPROVED
    assert temporary.is_temporary_legal_person                                    # still waits for its code
    assert StateTransition.objects.get(object_id=str(person.pk), action="review_reject").comment == "证件照片不清晰"
    again = client.post(f"/portal/identity/reviews/{person.pk}/", {"decision": "approve"}, follow=True)
    assert "不在待审核状态" in again.content.decode()


@pytest.mark.spec("IDN-5.2")
def test_automatic_review_every_24_hours_approves_those_that_pass(identity_peers, reviewer):
    identity_peers.person()
    passing = pending_person(username="auto_pass")
    temporary = temporary_legal(username="auto_temp")
    failing = pending_person(username="auto_fail", id_number="230102198512124566", full_name="查无此人")
    counts = registration_auto_review()
    assert counts == {"checked": 3, "approved": 2, "failed": 1, "unavailable": 0}
    passing.refresh_from_db()
    failing.refresh_from_db()
    temporary.refresh_from_db()
    assert passing.review_status == ReviewStatus.APPROVED and passing.real_name_level == RealNameLevel.VERIFIED
    assert temporary.review_status == ReviewStatus.APPROVED and failing.review_status == ReviewStatus.PENDING
    assert RealNameVerification.objects.filter(user=failing, passed=False).count() == 1
    assert StateTransition.objects.get(object_id=str(passing.pk), action="review_auto_approve").actor is None
    assert {q["id_number"] for q in identity_peers.police.queries} == {PERSON_ID}
    # the registries are down: nothing is decided, the account waits for the next run
    identity_peers.national.inject_failures(5)
    assert registration_auto_review()["unavailable"] == 1
    task = PeriodicTask.objects.get(task="identity.auto_review")
    assert task.enabled and task.interval.every == 24 and task.interval.period == "hours"
