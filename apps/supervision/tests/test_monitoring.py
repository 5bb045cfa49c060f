"""Electronic supervision of accepted cases (办件), the warnings list and the statistics dashboard."""
import io
from datetime import datetime, time, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from openpyxl import load_workbook

from apps.acceptance.models.cases import Case
from apps.acceptance.services.cases import case_accept, case_register
from apps.acceptance.tests.factories import clerk, id_number, matter
from apps.core.calendar import add_working_days
from apps.core.tests.factories import grant
from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory
from apps.supervision.models import Complaint, EarlyWarning, WarningLevel
from apps.supervision.services.case_warnings import case_deadline_scan
from apps.supervision.services.statistics import complaint_statistics_refresh
from apps.supervision.services.warnings import deadline_scan
from apps.supervision.services.workflow import complaint_step
from apps.supervision.tasks import case_deadline_scan_task
from apps.supervision.tests.factories import file_complaint

pytestmark = pytest.mark.django_db


def at(day, hour=10):
    return datetime.combine(day, time(hour), timezone.get_current_timezone())


def accepted_case(organisation, actor, n=1):
    item = matter(organisation)
    item.committed_limit_working_days = 3
    item.save(update_fields=["committed_limit_working_days"])
    case = case_register(item=item, applicant_name=f"李四{n}", applicant_id_number=id_number(n),
                         applicant_mobile=f"137{n:08d}", actor=actor)
    return case_accept(case=case, actor=actor)


@pytest.fixture
def dept_clerk(orgs):
    user = clerk(orgs["harbin_dept"], "hrb_clerk")
    user.mobile_number = "13700000021"
    user.save()
    return user


@pytest.fixture
def leader(orgs):
    from apps.identity.tests.factories import StaffFactory

    user = StaffFactory(username="hrb_leader", organisation=orgs["harbin_dept"], mobile_number="13700000022")
    return grant(user, "supervision.view_leader_report", "supervision.view_complaint", role_code="r-leader")


def test_case_warning_yellow_and_red_cards_with_sms(orgs, dept_clerk, leader, sms_simulator,
                                                    django_capture_on_commit_callbacks):
    case = accepted_case(orgs["harbin_dept"], dept_clerk)
    due = case.due_date
    assert due == timezone.localdate(add_working_days(case.accepted_at, 3))      # working days, kernel calendar
    sms_simulator.reset()
    with django_capture_on_commit_callbacks(execute=True):
        assert case_deadline_scan(now=timezone.now()) == 0                          # 3 working days left
        assert case_deadline_scan(now=at(due)) == 1                                 # due today → warning
        assert case_deadline_scan(now=at(due, 15)) == 0                             # once per level
        assert case_deadline_scan(now=add_working_days(at(due), 1)) == 1            # overdue → yellow card
        assert case_deadline_scan(now=add_working_days(at(due), 3)) == 1            # 3 working days late → red
        assert case_deadline_scan(now=add_working_days(at(due), 4)) == 0
    warnings = list(EarlyWarning.objects.order_by("raised_at"))
    assert [w.level for w in warnings] == [WarningLevel.WARNING, WarningLevel.YELLOW_CARD, WarningLevel.RED_CARD]
    assert {(w.case_id, w.complaint_id, w.department_id, w.region_id) for w in warnings} == {
        (case.pk, None, orgs["harbin_dept"].pk, "230100000000")}
    sent = [(m["mobile"], m["content"][:8]) for m in sms_simulator.messages]
    assert sent == [("13700000021", "【电子监察预警】"), ("13700000021", "【电子监察黄牌】"),
                    ("13700000021", "【电子监察红牌】"), ("13700000022", "【电子监察红牌】")]
    assert case.case_number in sms_simulator.messages[0]["content"]


def test_concluded_cases_raise_nothing_and_the_beat_task_is_scheduled(orgs, dept_clerk):
    from apps.acceptance.services.cases import case_conclude

    case = accepted_case(orgs["harbin_dept"], dept_clerk)
    case_conclude(case=case, actor=dept_clerk)
    Case.objects.filter(pk=case.pk).update(due_date=timezone.localdate() - timedelta(days=20))
    assert case_deadline_scan_task.apply().get() == 0 and not EarlyWarning.objects.exists()
    beat = PeriodicTask.objects.get(task="supervision.case_deadline_scan")
    assert beat.enabled and beat.interval.every == 3600


@pytest.fixture
def warned(people, orgs, dept_clerk):
    """A red card on a Harbin department case and a yellow card on a Harbin complaint; a Qiqihar card."""
    case = accepted_case(orgs["harbin_dept"], dept_clerk)
    case_deadline_scan(now=add_working_days(at(case.due_date), 3))
    complaint = file_complaint(title="超期投诉")
    complaint_step(complaint=complaint, action="accept", actor=people["harbin"])
    complaint_step(complaint=complaint, action="assign", actor=people["harbin"], department=orgs["harbin_dept"])
    deadline_scan(now=Complaint.objects.get(pk=complaint.pk).deadline + timedelta(hours=1))
    other = file_complaint(region="230200000000", title="齐市超期")
    complaint_step(complaint=other, action="accept", actor=people["qiqihar"])
    deadline_scan(now=Complaint.objects.get(pk=other.pk).deadline + timedelta(hours=1))
    Complaint.objects.update(deadline=timezone.now() - timedelta(days=1))             # overdue as of now
    Case.objects.filter(pk=case.pk).update(due_date=timezone.localdate() - timedelta(days=5))
    return {"case": case, "complaint": complaint, "other": other}


def test_warning_list_scope_filters_export_and_authorisation(client, people, warned):
    url = reverse("supervision:warning-list")
    assert client.get(url).status_code == 302                                        # anonymous → login
    client.force_login(UserFactory(kind=UserKind.NATURAL_PERSON))
    assert client.get(url).status_code in (302, 403)                                 # citizen
    client.force_login(people["idle"])
    assert client.get(url).status_code == 403                                        # staff without permission
    client.force_login(people["qiqihar"])
    assert [w.complaint_id for w in client.get(url).context["object_list"]] == [warned["other"].pk]
    client.force_login(people["harbin"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    rows = page.context["object_list"]
    assert {(w.level, w.case_id or w.complaint_id) for w in rows} == {
        (WarningLevel.RED_CARD, warned["case"].pk), (WarningLevel.YELLOW_CARD, warned["complaint"].pk)}
    assert warned["case"].case_number in page.content.decode() and "红牌" in page.content.decode()
    assert len(queries) < 25
    cases_only = client.get(url, {"subject": "case"}).context["object_list"]
    assert [w.case_id for w in cases_only] == [warned["case"].pk]
    assert [w.level for w in client.get(url, {"level": "yellow_card"}).context["object_list"]] == ["yellow_card"]
    export = client.get(url, {"subject": "case", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert len(values) == 1 and values[0][0] == "红牌" and values[0][3] == warned["case"].case_number
    client.force_login(people["dept"])                                               # the department itself
    assert {w.case_id or w.complaint_id for w in client.get(url).context["object_list"]} == {
        warned["case"].pk, warned["complaint"].pk}


def test_dashboard_figures_are_scoped_and_charts_are_served_locally(client, people, warned):
    url = reverse("supervision:dashboard")
    client.force_login(people["idle"])
    assert client.get(url).status_code == 403
    client.force_login(people["province"])
    complaint_statistics_refresh()                                                    # the 5-minute beat job
    cache.clear()                                             # as before `more`: session and user from the database
    with CaptureQueriesContext(connection) as few:
        page = client.get(url)
    totals = page.context["complaints"]["totals"]
    assert totals["total"] == 2 and totals["overdue"] == 2 and totals["open"] == 2
    assert page.context["overdue"]["cases_overdue"] == 1
    assert page.context["overdue"]["cards"] == {"warning": 0, "yellow_card": 2, "red_card": 1}
    html = page.content.decode()
    assert "/static/vendor/echarts/echarts.min.js" in html and "cdn" not in html.lower()
    assert 'id="sv-charts"' in html and "js/supervision.js" in html
    client.force_login(people["qiqihar"])
    qq = client.get(url).context
    assert qq["complaints"]["totals"]["total"] == 1 and qq["overdue"]["cases_overdue"] == 0
    assert qq["overdue"]["cards"]["red_card"] == 0
    for n in range(5):                                                                # more data, same queries
        file_complaint(title=f"新投诉{n}")
    client.force_login(people["province"])
    cache.clear()
    with CaptureQueriesContext(connection) as more:
        page = client.get(url)
    assert len(more) == len(few)
    assert page.context["complaints"]["totals"]["total"] == 2                          # counts wait for the rollup…
    with CaptureQueriesContext(connection) as warm:                                   # …the bureau shares the figures
        client.get(url)
    assert len(warm) < len(few) - 8
    complaint_statistics_refresh()                                                    # a new rollup: new figures now
    page = client.get(url)
    totals = page.context["complaints"]["totals"]
    assert (totals["total"], totals["open"], totals["overdue"]) == (7, 7, 2)
    assert "件数统计截至" in page.content.decode()


def test_rollup_task_prepares_the_figures_of_scopes_in_use(client, people):
    """After the 5-minute rebuild nobody waits for the figures: the task computes them for every
    scope looked at lately, each with its own scope."""
    from apps.supervision.tasks import statistics_refresh_task

    file_complaint(title="哈尔滨投诉")
    file_complaint(region="230200000000", title="齐市投诉")
    statistics_refresh_task()
    url = reverse("supervision:dashboard")
    for who in ("harbin", "qiqihar"):
        client.force_login(people[who])
        client.get(url)                                                   # first visit: computed, scope noted
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    file_complaint(title="哈尔滨投诉2")
    statistics_refresh_task()
    with CaptureQueriesContext(connection) as after_rebuild:
        page = client.get(url)
    assert len(after_rebuild) == len(warm)                                # no aggregate ran for the visitor
    assert page.context["complaints"]["totals"]["total"] == 1             # Qiqihar's own scope
    client.force_login(people["harbin"])
    assert client.get(url).context["complaints"]["totals"]["total"] == 2  # Harbin's, with the new complaint
    client.force_login(people["province"])                                # never looked: computed on visit
    with CaptureQueriesContext(connection) as first_visit:
        assert client.get(url).context["complaints"]["totals"]["total"] == 3
    assert len(first_visit) > len(warm) + 5


def test_statistics_rollup_is_scoped_rebuilt_whole_and_scheduled(people, orgs):
    from apps.supervision.models import ComplaintStatistic, StatisticsRefresh
    from apps.supervision.selectors_dashboard import complaint_statistics
    from apps.supervision.tasks import statistics_refresh_task

    for n in range(3):
        file_complaint(title=f"哈尔滨投诉{n}")
    file_complaint(region="230200000000", title="齐市投诉")
    assert statistics_refresh_task() == ComplaintStatistic.objects.count() == 2     # one cell per region here
    first = StatisticsRefresh.objects.latest()
    assert (first.cells, first.complaints) == (2, 4)
    assert complaint_statistics(user=people["harbin"])["totals"]["total"] == 3
    assert complaint_statistics(user=people["qiqihar"])["totals"]["total"] == 1
    assert complaint_statistics(user=people["province"])["totals"]["total"] == 4
    Complaint.objects.filter(region_id="230200000000").delete()
    complaint_statistics_refresh()                                                    # rebuilt, not appended
    assert complaint_statistics(user=people["qiqihar"])["totals"]["total"] == 0
    assert complaint_statistics(user=people["province"])["totals"]["total"] == 3
    beat = PeriodicTask.objects.get(task="supervision.statistics_refresh")
    assert beat.enabled and beat.interval.every == 300


@pytest.mark.spec("ACC-17.8")
def test_case_without_a_code_is_warned_then_carded_up_to_accountability(client, people, orgs, dept_clerk, leader,
                                                                         sms_simulator,
                                                                         django_capture_on_commit_callbacks):
    from apps.acceptance.models.codes import CaseCode
    from apps.acceptance.services.codes import case_code_issue
    from apps.supervision.services.case_codes import case_code_scan

    coded = accepted_case(orgs["harbin_dept"], dept_clerk, n=1)
    uncoded = accepted_case(orgs["harbin_dept"], dept_clerk, n=2)
    assert CaseCode.objects.filter(case=coded).exists()                               # acceptance codes on accept
    CaseCode.objects.filter(case=uncoded).delete()                                    # this one never got its code
    # a morning: "an hour later" stays on the same day whatever the time the test runs
    accepted = timezone.localtime(uncoded.accepted_at).replace(hour=10, minute=0, second=0, microsecond=0)
    type(uncoded).objects.filter(pk=uncoded.pk).update(accepted_at=accepted)
    sms_simulator.reset()
    with django_capture_on_commit_callbacks(execute=True):
        assert case_code_scan(now=accepted) == 1                                      # warning at once
        assert case_code_scan(now=accepted + timedelta(hours=1)) == 0                 # once per level
        assert case_code_scan(now=add_working_days(accepted, 1)) == 1                 # yellow card
        assert case_code_scan(now=add_working_days(accepted, 3)) == 1                 # red card: accountability
    warnings = list(EarlyWarning.objects.filter(reason="no_case_code").order_by("raised_at"))
    assert [w.level for w in warnings] == [WarningLevel.WARNING, WarningLevel.YELLOW_CARD, WarningLevel.RED_CARD]
    assert {w.case_id for w in warnings} == {uncoded.pk}                              # the coded case is left alone
    sent = [(m["mobile"], m["content"][:9]) for m in sms_simulator.messages]
    assert sent == [("13700000021", "【办件码监察】办件"), ("13700000021", "【办件码监察黄牌】"),
                    ("13700000021", "【办件码监察红牌】"), ("13700000022", "【办件码监察红牌】")]
    assert "已启动问责" in sms_simulator.messages[-1]["content"]
    case_code_issue(item=uncoded.item, case=uncoded)                                  # coded at last
    assert case_code_scan(now=add_working_days(accepted, 5)) == 0
    # the supervisors' 电子监察 list separates these from time-limit cards
    client.force_login(people["harbin"])
    page = client.get(reverse("supervision:warning-list"), {"reason": "no_case_code"})
    assert [w.pk for w in page.context["object_list"]] == [w.pk for w in reversed(warnings)]
    assert "未申领办件码" in page.content.decode()
    assert not client.get(reverse("supervision:warning-list"), {"reason": "deadline"}).context["object_list"]
