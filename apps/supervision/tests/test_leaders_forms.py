"""Portal forms for indicators and tasks (MAT-6.1–6.3), the "一把手走流程" column (PORTAL-3.1),
the own-data upstream message (PORTAL-13.2) and the matter-name lookup of filed complaints."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from apps.acceptance.models.cases import Case
from apps.acceptance.tests.factories import clerk, concluded_case, id_number, matter
from apps.core.models import AuditLog, OutboxMessage, OutboxStatus
from apps.core.tests.factories import grant
from apps.identity.models import UserKind
from apps.identity.tests.factories import StaffFactory, UserFactory
from apps.supervision.models import (
    Complaint,
    ExchangeMessage,
    IndicatorRule,
    LeaderPost,
    SupervisionIndicator,
    SupervisionTask,
    TaskScore,
)
from apps.supervision.services.workflow import complaint_step
from apps.supervision.tasks import govcn_own_data_task
from apps.supervision.tests.factories import file_complaint

pytestmark = pytest.mark.django_db
ADMIN = ("supervision.add_supervisionindicator", "supervision.change_supervisionindicator",
         "supervision.add_supervisiontask", "supervision.score_supervisiontask", "supervision.view_supervisiontask")


@pytest.fixture
def assessor(people):
    return grant(people["harbin"], *ADMIN, role_code="assessor")


def indicator_post(number="XN-01", metric="case_on_time_rate", rules=None):
    rules = rules if rules is not None else [("办件按期率×50", "ratio", "50", "")]
    data = {"theme": "at_most_one_trip", "number": number, "name": "办件按期办结率", "metric": metric,
            "data_source": "一窗受理系统办件数据", "rules-TOTAL_FORMS": "3", "rules-INITIAL_FORMS": "0",
            "rules-MIN_NUM_FORMS": "0", "rules-MAX_NUM_FORMS": "10"}
    for i, (name, method, score, deduction) in enumerate(rules):
        data.update({f"rules-{i}-name": name, f"rules-{i}-method": method, f"rules-{i}-score": score,
                     f"rules-{i}-deduction": deduction})
    return data


@pytest.mark.spec("MAT-6.1")
def test_indicator_form_defines_rules_and_data_source(client, people, assessor):
    url = reverse("supervision:indicator-create")
    assert client.get(url).status_code == 302                                         # anonymous
    client.force_login(grant(people["dept"], "supervision.view_supervisiontask", role_code="viewer"))
    assert client.post(url, indicator_post()).status_code == 403                      # no permission
    client.force_login(assessor)
    response = client.post(url, indicator_post(rules=[("按期率", "ratio", "40", ""), ("每超期一件扣5分", "deduct",
                                                                                    "10", "5")]))
    assert response.status_code == 302
    indicator = SupervisionIndicator.objects.get(number="XN-01")
    assert indicator.data_source == "一窗受理系统办件数据" and indicator.metric == "case_on_time_rate"
    assert sorted(indicator.rules.values_list("method", "score", "deduction")) == [
        ("deduct", Decimal("10.00"), Decimal("5.00")), ("ratio", Decimal("40.00"), Decimal("0.00"))]
    listing = client.get(reverse("supervision:indicator-list"))
    assert "办件按期办结率" in listing.content.decode() and "每超期一件扣5分" in listing.content.decode()
    # bad input: no rules, a duplicate number, a rule without a name, a zero score → refused, nothing written
    for bad in (indicator_post("XN-02", rules=[]), indicator_post("XN-01"),
                indicator_post("XN-03", rules=[("", "ratio", "10", "")]),
                indicator_post("XN-04", rules=[("零分", "ratio", "0", "")])):
        refused = client.post(url, bad)
        assert refused.status_code == 400 and refused.context["form"].errors
    assert SupervisionIndicator.objects.count() == 1 and IndicatorRule.objects.count() == 2
    # data source maintenance, with the blank value refused
    source = reverse("supervision:indicator-source", args=[indicator.pk])
    client.post(source, {"data_source": "政务服务数据共享平台"})
    client.post(source, {"data_source": "  "})
    indicator.refresh_from_db()
    assert indicator.data_source == "政务服务数据共享平台"
    assert AuditLog.objects.filter(action="update", object_id=str(indicator.pk), content_type__model="supervisionindicator").count() == 1


@pytest.mark.spec("MAT-6", "MAT-6.2", "MAT-6.3", "MAT-6.4")
def test_task_form_launch_case_data_scoring_and_manual_score(client, people, orgs, regions, assessor):
    client.force_login(assessor)
    client.post(reverse("supervision:indicator-create"), indicator_post())
    client.post(reverse("supervision:indicator-create"),
                indicator_post("XN-09", metric="manual", rules=[("现场暗访", "manual", "20", "")]))
    on_time, visit = SupervisionIndicator.objects.order_by("number")
    today = timezone.localdate()
    form = {"name": "最多跑一次专项监督", "theme": "at_most_one_trip", "indicators": [on_time.pk, visit.pk],
            "region": "230100000000", "period_start": (today - timedelta(days=3)).isoformat(),
            "period_end": (today + timedelta(days=3)).isoformat()}
    # outside the assessor's region, or end before start: refused, nothing written
    assert client.post(reverse("supervision:task-create"), form | {"region": "230200000000"}).status_code == 400
    assert client.post(reverse("supervision:task-create"),
                       form | {"period_end": (today - timedelta(days=9)).isoformat()}).status_code == 400
    assert not SupervisionTask.objects.exists()
    client.force_login(people["dept"])
    assert client.post(reverse("supervision:task-create"), form).status_code == 403
    client.force_login(assessor)
    response = client.post(reverse("supervision:task-create"), form)
    task = SupervisionTask.objects.get()
    assert response.status_code == 302 and set(task.indicators.all()) == {on_time, visit}
    # case data (办件) behind the indicator: one on time, one concluded after its due date → 50 × 1/2
    window = clerk(orgs["harbin_dept"], "hrb_clerk")
    item = matter(orgs["harbin_dept"])
    concluded_case(item, window, 1)
    late = concluded_case(item, window, 2)
    Case.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    client.post(reverse("supervision:task-score", args=[task.pk]))
    score = TaskScore.objects.get(task=task, department=orgs["harbin_dept"], indicator=on_time)
    assert score.value == Decimal("0.5") and score.score == Decimal("25.00") and not score.manual
    # the manual indicator through the page; out of range refused
    page = client.get(reverse("supervision:efficiency"), {"task": task.pk})
    assert [i.pk for i in page.context["manual_indicators"]] == [visit.pk]
    manual = reverse("supervision:task-manual-score", args=[task.pk])
    client.post(manual, {"department": orgs["harbin_dept"].pk, "indicator": visit.pk, "score": "99"})
    assert not TaskScore.objects.filter(indicator=visit).exists()
    client.post(manual, {"department": orgs["harbin_dept"].pk, "indicator": visit.pk, "score": "18"})
    assert TaskScore.objects.get(indicator=visit, department=orgs["harbin_dept"]).manual
    # the analysis page adds both: 25 automatic + 18 manual for the department, under the task's theme
    page = client.get(reverse("supervision:efficiency"), {"task": task.pk})
    totals = {r["department__name"]: r["total"] for r in page.context["by_department"]}
    assert totals[orgs["harbin_dept"].name] == Decimal("43.00")
    assert [t["theme"] for t in page.context["by_theme"]] == ["最多跑一次"]


@pytest.mark.spec("MAT-6.4")
def test_efficiency_page_draws_echarts_from_local_static(client, assessor):
    client.force_login(assessor)
    html = client.get(reverse("supervision:efficiency")).content.decode()
    assert "/static/vendor/echarts/echarts.min.js" in html and 'id="sv-efficiency"' in html
    assert 'id="sv-eff-department"' in html and "cdn" not in html.lower()


@pytest.fixture
def editor(people):
    return grant(people["province"], "supervision.add_leaderpost", role_code="editor")


@pytest.fixture
def leader(orgs):
    user = StaffFactory(username="dept_leader", organisation=orgs["harbin_dept"])
    return grant(user, "supervision.view_leader_report", role_code="leader")


@pytest.mark.spec("PORTAL-3.1")
def test_leader_column_posts_and_department_leader_report(client, people, orgs, editor, leader):
    url = reverse("supervision:leader-column")
    assert client.get(url).status_code == 302                                          # anonymous
    client.force_login(UserFactory(kind=UserKind.NATURAL_PERSON))
    assert client.get(url).status_code in (302, 403)                                   # citizen
    client.force_login(people["dept"])
    assert client.get(url).status_code == 200                                          # any staff reads
    assert client.post(url, {"kind": "notice", "title": "x", "content": "y"}).status_code == 403
    client.force_login(editor)
    assert client.post(url, {"kind": "notice", "title": "  ", "content": "内容"}).status_code == 400
    assert not LeaderPost.objects.exists()
    client.post(url, {"kind": "activity", "title": "局长走流程：企业开办", "content": "体验全流程网办"})
    post = LeaderPost.objects.get()
    assert post.organisation == orgs["province"] and post.created_by == editor
    client.force_login(leader)
    assert "局长走流程：企业开办" in client.get(url).content.decode()
    # the leader's report: own department's overdue complaint and case, not another department's
    mine = file_complaint(title="本部门超期投诉")
    complaint_step(complaint=mine, action="accept", actor=people["harbin"])
    complaint_step(complaint=mine, action="assign", actor=people["harbin"], department=orgs["harbin_dept"])
    elsewhere = file_complaint(region="230200000000", title="外地超期投诉")
    complaint_step(complaint=elsewhere, action="accept", actor=people["qiqihar"])
    Complaint.objects.update(deadline=timezone.now() - timedelta(days=1))
    window = clerk(orgs["harbin_dept"], "hrb_clerk")
    from apps.acceptance.services.cases import case_accept, case_register

    case = case_register(item=matter(orgs["harbin_dept"]), applicant_name="王五", applicant_id_number=id_number(7),
                         actor=window)
    case_accept(case=case, actor=window)
    Case.objects.filter(pk=case.pk).update(due_date=timezone.localdate() - timedelta(days=2))
    other_case = case_register(item=matter(orgs["qiqihar"]), applicant_name="赵六",
                               applicant_id_number=id_number(8), actor=clerk(orgs["qiqihar"], "qq_clerk"))
    Case.objects.filter(pk=other_case.pk).update(status="accepted", due_date=timezone.localdate() - timedelta(days=2))
    report = client.get(reverse("supervision:leader-report"))
    assert report.status_code == 200
    assert [c.pk for c in report.context["overdue_complaints"]] == [mine.pk]
    assert [c.pk for c in report.context["overdue_cases"]] == [case.pk]
    assert report.context["complaints"]["totals"]["overdue"] == 1
    html = report.content.decode()
    assert "本部门超期投诉" in html and "外地超期投诉" not in html and case.case_number in html
    client.force_login(people["dept"])
    assert client.get(reverse("supervision:leader-report")).status_code == 403         # not a leader


@pytest.mark.spec("PORTAL-13.2")
def test_own_data_is_sent_daily_through_the_outbox(govcn_simulator, people, orgs, django_capture_on_commit_callbacks):
    mine = file_complaint()
    complaint_step(complaint=mine, action="accept", actor=people["harbin"])
    file_complaint(kind="suggestion")
    today = timezone.localdate().isoformat()
    beat = PeriodicTask.objects.get(task="supervision.govcn_own_data")
    assert beat.enabled and beat.crontab.hour == "2"
    with django_capture_on_commit_callbacks(execute=True):
        first = govcn_own_data_task.apply(kwargs={"day": today}).get()
        again = govcn_own_data_task.apply(kwargs={"day": today}).get()
    assert first == again and ExchangeMessage.objects.filter(message_type="own_data").count() == 1
    [sent] = govcn_simulator.upstream_of("own_data")
    assert sent["data"]["day"] == today
    assert sent["data"]["complaints"]["provincial"]["received"] == 2
    assert set(sent["data"]["cases"]) == {"accepted", "concluded", "overdue"}
    assert OutboxMessage.objects.get(peer="govcn_inspection", kind="own_data").status == OutboxStatus.DELIVERED


def test_filed_complaint_takes_the_published_matter_name_from_its_code(orgs):
    item = matter(orgs["harbin_dept"], name="建设工程消防验收")
    complaint = file_complaint(item_code=item.implementation_code, item_name="")
    assert complaint.item_name == "建设工程消防验收"
    unknown = file_complaint(item_code="NO-SUCH-CODE", item_name="")
    assert unknown.item_name == ""
