"""Efficiency supervision: indicators with rules, a task, automatic and manual scores, analysis page."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.core.tests.factories import grant
from apps.supervision.models import (
    Complaint,
    SupervisionIndicator,
    SupervisionTask,
    TaskScore,
)
from apps.supervision.services.efficiency import (
    indicator_create,
    task_create,
    task_score,
    task_score_manual,
)
from apps.supervision.services.workflow import complaint_step
from apps.supervision.tests.factories import file_complaint

pytestmark = pytest.mark.django_db
ADMIN_PERMS = ("supervision.add_supervisionindicator", "supervision.add_supervisiontask",
               "supervision.score_supervisiontask", "supervision.view_supervisiontask")


def handled(people, department, *, overdue=False):
    complaint = file_complaint()
    complaint_step(complaint=complaint, action="accept", actor=people["harbin"])
    complaint_step(complaint=complaint, action="assign", actor=people["harbin"], department=department)
    if overdue:
        Complaint.objects.filter(pk=complaint.pk).update(deadline=timezone.now() - timedelta(days=2))
        return complaint
    complaint_step(complaint=complaint, action="reply", actor=people["harbin"], comment="已处理")
    return complaint_step(complaint=complaint, action="close", actor=people["harbin"])


@pytest.fixture
def assessor(people):
    return grant(people["harbin"], *ADMIN_PERMS, role_code="assessor")


@pytest.fixture
def task(assessor, regions):
    on_time = indicator_create(theme="business_environment", number="YS-01", name="投诉按期办结率",
                               metric="complaint_on_time_rate", data_source="投诉受理系统",
                               rules=[{"name": "按期办结率×60", "method": "ratio", "score": 60}], actor=assessor)
    overdue = indicator_create(theme="business_environment", number="YS-02", name="超期投诉",
                               metric="complaint_overdue_count", data_source="投诉受理系统",
                               rules=[{"name": "每超期一件扣10分", "method": "deduct", "score": 40, "deduction": 10}],
                               actor=assessor)
    visit = indicator_create(theme="business_environment", number="YS-03", name="现场暗访", metric="manual",
                             data_source="督查人员", rules=[{"name": "暗访评分", "method": "manual", "score": 20}],
                             actor=assessor)
    today = timezone.localdate()
    return task_create(name="2026年营商环境监督", theme="business_environment", indicators=[on_time, overdue, visit],
                       region=regions["230100000000"], period_start=today - timedelta(days=1),
                       period_end=today + timedelta(days=1), actor=assessor)


@pytest.mark.spec("MAT-6.1", "MAT-6.2", "MAT-6.3")
def test_task_is_scored_automatically_per_department_and_by_hand(people, orgs, assessor, task):
    handled(people, orgs["harbin_dept"])
    handled(people, orgs["harbin_dept"], overdue=True)
    handled(people, orgs["daoli_dept"])
    assert task_score(task=task, actor=assessor) == 4                 # 2 departments × 2 automatic indicators
    scores = {(s.department.name, s.indicator.number): s.score for s in TaskScore.objects.select_related(
        "department", "indicator")}
    assert scores == {("哈尔滨市市场监督管理局", "YS-01"): Decimal("60.00"),
                      ("哈尔滨市市场监督管理局", "YS-02"): Decimal("30.00"),
                      ("道里区市场监督管理局", "YS-01"): Decimal("60.00"),
                      ("道里区市场监督管理局", "YS-02"): Decimal("40.00")}
    visit = SupervisionIndicator.objects.get(number="YS-03")
    with pytest.raises(ValidationError):
        task_score_manual(task=task, department=orgs["daoli_dept"], indicator=visit, score=Decimal(25), actor=assessor)
    task_score_manual(task=task, department=orgs["daoli_dept"], indicator=visit, score=Decimal(18), actor=assessor)
    task_score(task=task, actor=assessor)                              # re-scoring keeps the manual score
    assert TaskScore.objects.get(indicator=visit).score == Decimal(18)
    task.refresh_from_db()
    assert task.status == "scored"


def test_refusals(people, orgs, assessor, task, regions):
    with pytest.raises(PermissionDenied):
        task_score(task=task, actor=people["dept"])
    with pytest.raises(PermissionDenied):
        indicator_create(theme="fully_online", number="X", name="x", metric="manual", data_source="",
                         rules=[{"name": "r", "method": "manual", "score": 1}], actor=people["dept"])
    with pytest.raises(ValidationError):
        indicator_create(theme="fully_online", number="YS-01", name="重复编号", metric="manual", data_source="",
                         rules=[{"name": "r", "method": "manual", "score": 1}], actor=assessor)
    with pytest.raises(ValidationError):
        task_create(name="越权", theme="fully_online", indicators=list(task.indicators.all()),
                    region=regions["230200000000"], period_start=task.period_start, period_end=task.period_end,
                    actor=assessor)                                    # Qiqihar is outside Harbin
    assert SupervisionTask.objects.count() == 1 and not TaskScore.objects.exists()


@pytest.mark.spec("MAT-6.4")
def test_efficiency_analysis_page_ranks_departments(client, people, orgs, assessor, task):
    handled(people, orgs["harbin_dept"], overdue=True)
    handled(people, orgs["daoli_dept"])
    client.force_login(assessor)
    response = client.post(reverse("supervision:task-score", args=[task.pk]))
    assert response.status_code == 302
    page = client.get(reverse("supervision:efficiency"), {"task": task.pk})
    ranking = [r["department__name"] for r in page.context["by_department"]]
    assert ranking == ["道里区市场监督管理局", "哈尔滨市市场监督管理局"]
    assert page.context["by_theme"][0]["theme"] == "营商环境"
    department_user = grant(people["dept"], "supervision.view_supervisiontask", role_code="dept-view")
    client.force_login(department_user)
    # a department leader sees only its own department's results (and those below it)
    mine = [r["department__name"] for r in client.get(reverse("supervision:efficiency")).context["by_department"]]
    assert mine == ["道里区市场监督管理局", "哈尔滨市市场监督管理局"]      # its own and the district office below
    grant(people["qiqihar"], "supervision.view_supervisiontask", role_code="qq-view")
    client.force_login(people["qiqihar"])
    other = client.get(reverse("supervision:efficiency"))
    assert other.context["tasks"] == [] and other.context["by_department"] == []
