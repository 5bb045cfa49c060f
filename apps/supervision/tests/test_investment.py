"""Investment-promotion express (招商引资直通车): feedback, suggestions, evaluations and their reports."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory
from apps.supervision.models import Complaint, ComplaintStatus
from apps.supervision.services.complaints import complaint_file
from apps.supervision.services.workflow import complaint_step

pytestmark = pytest.mark.django_db


def express(kind, title, *, region="230100000000", rating=None, item=("A1", "设立登记")):
    citizen = UserFactory(kind=UserKind.LEGAL_PERSON)
    return complaint_file(source="investment_express", complainant=citizen, data={
        "kind": kind, "title": title, "content": f"{title}的内容", "complainant_name": "某投资公司",
        "complainant_mobile": "13800138009", "region_code": region, "item_code": item[0], "item_name": item[1],
        "rating": rating})


def listed(client, **params):
    response = client.get(reverse("supervision:investment-list"), params)
    return {c.pk for c in response.context["object_list"]}


@pytest.mark.spec("PORTAL-4.1", "PORTAL-4.2", "PORTAL-4.3", "PORTAL-4.4", "PORTAL-4.5")
def test_feedback_and_suggestions_are_accepted_replied_and_queried(client, people):
    feedback = express("feedback", "用地审批反馈")
    suggestion = express("suggestion", "建议设立项目专班", region="230200000000")
    for item in (feedback, suggestion):
        handler = people["harbin"] if item is feedback else people["qiqihar"]
        complaint_step(complaint=item, action="accept", actor=handler)
        complaint_step(complaint=item, action="reply", actor=handler, comment="已转相关部门研究")
    feedback.refresh_from_db()
    assert feedback.status == ComplaintStatus.REPLIED and feedback.replied_at
    client.force_login(people["province"])
    today = timezone.localdate().isoformat()
    pending = express("feedback", "水电报装反馈")
    assert listed(client, kind="feedback") == {feedback.pk, pending.pk}
    assert listed(client, kind="suggestion") == {suggestion.pk}                               # 4.3 list
    assert listed(client, case_number=feedback.case_number) == {feedback.pk}
    assert listed(client, status=ComplaintStatus.REPLIED, kind="feedback") == {feedback.pk}
    assert listed(client, text="水电") == {pending.pk}
    assert listed(client, replied_from=today, kind="feedback") == {feedback.pk}               # reply time
    assert listed(client, region="230200000000") == {suggestion.pk}                           # 4.5 region
    assert listed(client, region="230100000000", status=ComplaintStatus.PENDING, text="反馈") == {pending.pk}


@pytest.mark.spec("PORTAL-4.6", "PORTAL-4.7")
def test_evaluations_query_and_four_report_groupings(client, people):
    a = express("investment_evaluation", "服务很好", rating=5)
    express("investment_evaluation", "一般", rating=3)
    express("investment_evaluation", "太慢", rating=1, region="230200000000", item=("B2", "施工许可"))
    with pytest.raises(ValidationError):
        express("investment_evaluation", "无星级")
    assert Complaint.objects.count() == 3
    client.force_login(people["province"])
    assert listed(client, kind="investment_evaluation", rating=5) == {a.pk}
    assert listed(client, case_number=a.case_number, region="230100000000", rating=5) == {a.pk}
    report = client.get(reverse("supervision:evaluation-report")).context
    assert report["overall"]["count"] == 3 and report["overall"]["bad"] == 1
    assert [(r["region__name"], r["count"]) for r in report["by_region"]] == [("哈尔滨市", 2), ("齐齐哈尔市", 1)]
    assert [(r["item_code"], r["count"], r["good"]) for r in report["by_item"]] == [("A1", 2, 1), ("B2", 1, 0)]
    assert [(r["item_code"], r["region__name"]) for r in report["by_item_region"]] == [("A1", "哈尔滨市"),
                                                                                        ("B2", "齐齐哈尔市")]
    client.force_login(people["harbin"])                                  # a city sees its own figures
    assert client.get(reverse("supervision:evaluation-report")).context["overall"]["count"] == 2


def test_investor_files_on_the_public_site(client, regions):
    client.force_login(UserFactory(kind=UserKind.LEGAL_PERSON))
    response = client.post(reverse("supervision-public:investment"), {
        "kind": "investment_evaluation", "title": "评价", "content": "满意", "complainant_name": "某公司",
        "complainant_mobile": "13800138009", "region_code": "230100000000", "rating": "4"})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.source == "investment_express" and complaint.rating == 4 and complaint.case_number.startswith("ZS")
