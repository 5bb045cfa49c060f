"""STORE-2.d enterprise-exclusive space: a logged-in enterprise sees its service code (verifiable, masked),
subscribes to policies by its enterprise type (apps.matters subscriptions), and receives each of the four
reminder types when a matching event happens: case progress, licence, policy news, service feedback."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.acceptance.models import ApplicantKind, CaseChannel
from apps.acceptance.services.cases import case_register
from apps.identity.models import UserKind
from apps.identity.tests.factories import StaffFactory, UserFactory
from apps.licences.models import Licence, LicenceStatus
from apps.licences.tests.factories import licence_data, licence_template
from apps.matters.models import Policy, PolicyStatus, PolicySubscription, PolicyTag
from apps.stores.models import EnterpriseMessage, EnterpriseTypePolicyTag, MessageKind
from apps.stores.services.enterprise import enterprise_service_code

pytestmark = pytest.mark.django_db
USCC = "91230100MA1B2C3D49"


@pytest.fixture
def company(db):
    return UserFactory(username="company", kind=UserKind.LEGAL_PERSON, full_name="哈尔滨冰城科技有限公司",
                       credit_code=USCC, enterprise_type="enterprise")


@pytest.mark.spec("STORE-2.d")
def test_only_an_enterprise_has_the_space_and_its_code_verifies(client, company, resident):
    assert "/login/" in client.get(reverse("stores-public:enterprise"))["Location"]
    client.force_login(resident)
    assert client.get(reverse("stores-public:enterprise")).status_code == 403
    client.force_login(company)
    html = client.get(reverse("stores-public:enterprise")).content.decode()
    code = enterprise_service_code(user=company)
    assert f'data-testid="service-code" style="font-size:1.2rem;word-break:break-all">{code}<' in html
    body = client.get(reverse("stores-public:enterprise-code-verify"), {"code": code}).json()
    assert body == {"valid": True, "name": "哈尔滨****有限公司", "credit_code": "912301********3D49"}
    forged = code[:-1] + ("0" if code[-1] != "0" else "1")
    yesterday = enterprise_service_code(user=company, day=timezone.localdate() - timedelta(days=1))
    for bad in (forged, yesterday, "", USCC):
        assert client.get(reverse("stores-public:enterprise-code-verify"), {"code": bad}).status_code == 400


@pytest.mark.spec("STORE-2.d")
def test_policy_subscription_by_enterprise_type(client, company):
    tag = PolicyTag.objects.create(name="惠企政策")
    PolicyTag.objects.create(name="个体工商户扶持")
    client.force_login(company)
    client.post(reverse("stores-public:enterprise-action"), {"action": "subscribe_policies"})
    assert not PolicySubscription.objects.exists()                          # no link for its type yet
    EnterpriseTypePolicyTag.objects.create(enterprise_type="enterprise", tag=tag)
    EnterpriseTypePolicyTag.objects.create(enterprise_type="individual_business",
                                           tag=PolicyTag.objects.get(name="个体工商户扶持"))
    client.post(reverse("stores-public:enterprise-action"), {"action": "subscribe_policies"})
    assert list(PolicySubscription.objects.values_list("user__username", "tag__name")) == [("company", "惠企政策")]
    assert 'data-tag="惠企政策"' in client.get(reverse("stores-public:enterprise")).content.decode()


@pytest.mark.spec("STORE-2.d")
def test_the_four_reminder_types_arrive_when_their_events_happen(client, company, publish, orgs, regions):
    from apps.reviews.models import BadReviewDisposal, Evaluation

    client.force_login(company)
    client.get(reverse("stores-public:enterprise"))
    assert not EnterpriseMessage.objects.exists()
    # 1. case progress: the enterprise submits a case online
    item = publish("食品经营许可", "daoli")
    case = case_register(item=item, applicant_name="哈尔滨冰城科技有限公司", applicant_id_number=USCC,
                         applicant_kind=ApplicantKind.LEGAL_PERSON, applicant=company, channel=CaseChannel.PC,
                         actor=company)
    # 2. licence: one issued to its USCC, expiring within 30 days
    clerk = StaffFactory(username="lic_clerk2", organisation=orgs["harbin_dept"])
    Licence.objects.create(template=licence_template(orgs["harbin_dept"]), issuer=orgs["harbin_dept"], created_by=clerk,
                           status=LicenceStatus.VALID, holder_kind="legal_person", licence_code="LC-E-1",
                           **licence_data(1, holder_code=USCC, valid_until=timezone.localdate() + timedelta(days=10)))
    # 3. policy news: a policy published under a tag the enterprise subscribed to
    tag = PolicyTag.objects.create(name="惠企政策")
    EnterpriseTypePolicyTag.objects.create(enterprise_type="enterprise", tag=tag)
    client.post(reverse("stores-public:enterprise-action"), {"action": "subscribe_policies"})
    policy = Policy.objects.create(title="关于支持科技型中小企业发展的若干措施", content="……", issuer=orgs["province"],
                                   region=regions["230000000000"], status=PolicyStatus.PUBLISHED,
                                   for_legal_person=True, published_at=timezone.now())
    policy.tags.add(tag)
    # 4. service feedback: the department fed back on the enterprise's bad review
    evaluation = Evaluation.objects.create(evaluation_number="PJ-E-1", object_kind="matter", channel="pc", level=1,
                                           case=case, matter=item, region=regions["230102000000"],
                                           organisation=orgs["daoli_dept"], evaluator=company,
                                           evaluated_at=timezone.now())
    BadReviewDisposal.objects.create(evaluation=evaluation, region=regions["230102000000"],
                                     competent_department=orgs["daoli_dept"], service_department=orgs["daoli_dept"],
                                     feedback="已优化窗口排队流程", feedback_at=timezone.now())
    html = client.get(reverse("stores-public:enterprise")).content.decode()
    kinds = set(EnterpriseMessage.objects.filter(enterprise=company).values_list("kind", flat=True))
    assert kinds == set(MessageKind.values)
    assert case.case_number in html and "将于" in html and "关于支持科技型中小企业发展的若干措施" in html
    assert "已优化窗口排队流程" in html
    count = EnterpriseMessage.objects.count()
    client.get(reverse("stores-public:enterprise"))
    assert EnterpriseMessage.objects.count() == count                       # each event reminds once
    message = EnterpriseMessage.objects.filter(kind=MessageKind.POLICY).get()
    client.post(reverse("stores-public:enterprise-action"), {"action": "read", "message": message.pk})
    message.refresh_from_db()
    assert message.read_at is not None
    # the same reminders for the app
    rows = client.get("/api/v1/stores/enterprise/messages/", {"kind": "licence"}).json()["results"]
    assert {r["kind"] for r in rows} == {"licence"} and len(rows) == 2
    licence_message = rows[0]["id"]
    assert client.post(f"/api/v1/stores/enterprise/messages/{licence_message}/read/").status_code == 204
    # another user's message cannot be marked
    other = UserFactory(username="other_co", kind=UserKind.LEGAL_PERSON, credit_code="91230100MA1B2C3D57",
                        enterprise_type="enterprise")
    client.force_login(other)
    unread = EnterpriseMessage.objects.filter(kind=MessageKind.LICENCE, read_at__isnull=True).first()
    client.post(reverse("stores-public:enterprise-action"), {"action": "read", "message": unread.pk})
    assert client.post(f"/api/v1/stores/enterprise/messages/{unread.pk}/read/").status_code == 404
    unread.refresh_from_db()
    assert unread.read_at is None
    client.force_login(UserFactory(username="person_x", kind=UserKind.NATURAL_PERSON))
    assert client.get("/api/v1/stores/enterprise/messages/").status_code == 403
