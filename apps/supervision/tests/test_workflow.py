"""The complaint workflow through the services: every step, SMS at hand-offs, refusals write nothing."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.core.models import OutboxMessage, SmsMessage, StateTransition
from apps.supervision.models import Complaint, ComplaintSource, ComplaintStatus
from apps.supervision.services.complaints import complaint_import
from apps.supervision.services.sync import national_fetch
from apps.supervision.services.workflow import complaint_step
from apps.supervision.tests.factories import file_complaint

pytestmark = pytest.mark.django_db


def step(complaint, action, actor, **kwargs):
    return complaint_step(complaint=complaint, action=action, actor=actor, **kwargs)


@pytest.mark.spec("PORTAL-1.1", "PORTAL-12.1", "PORTAL-12.2", "PORTAL-10.2")
def test_national_complaint_from_fetch_to_submission_over_http(people, orgs, national_simulator, sms_simulator,
                                                                django_capture_on_commit_callbacks):
    national_simulator.add_case({"case_id": "N-1001", "title": "营业执照办理超时", "content": "等了三周",
                                 "name": "李四", "mobile": "13700137000", "region_code": "230100000000",
                                 "item_code": "A001", "item_name": "设立登记", "query_code": "QC1001"})
    assert national_fetch() == 1 and national_fetch() == 0           # the second fetch imports nothing new
    complaint = Complaint.objects.get(external_id="N-1001")
    assert complaint.source == ComplaintSource.NATIONAL_PLATFORM and complaint.status == ComplaintStatus.PENDING
    handler, officer = people["province"], people["dept"]
    with django_capture_on_commit_callbacks(execute=True):
        step(complaint, "accept", handler)
        step(complaint, "transfer", handler, department=orgs["harbin_dept"])
        step(complaint, "return", officer, comment="不属于本部门职责")
        step(complaint, "transfer", handler, department=orgs["harbin_dept"], comment="请再核实")
        step(complaint, "receive", officer)
        step(complaint, "enter_result", officer, comment="已督促窗口三日内办结")
        step(complaint, "review", handler)
        complaint = step(complaint, "submit", handler)
    assert complaint.status == ComplaintStatus.SUBMITTED_TO_NATION and complaint.is_done
    assert complaint.deadline is not None and complaint.handler == handler
    [result] = national_simulator.listing()["results"]
    assert result["case_id"] == "N-1001" and result["result"] == "已督促窗口三日内办结"
    assert national_simulator.cases["N-1001"]["status"] == "done"
    actions = list(StateTransition.objects.filter(object_id=str(complaint.pk)).order_by("at", "pk")
                   .values_list("action", flat=True))
    assert actions == ["import", "accept", "transfer", "return", "transfer", "receive", "enter_result", "review",
                       "submit"]
    # SMS at every hand-off: two transfers to the officer, the return and the result back to the handler.
    received = [m["mobile"] for m in sms_simulator.messages]
    assert received.count("13900000013") == 2 and received.count("13900000011") == 2
    assert all("投诉件" in m["content"] for m in sms_simulator.messages)


@pytest.mark.spec("PORTAL-1.4")
def test_provincial_complaint_accept_assign_reply_close(people, orgs, sms_simulator,
                                                        django_capture_on_commit_callbacks):
    complaint = file_complaint()
    handler, officer = people["harbin"], people["dept"]
    with django_capture_on_commit_callbacks(execute=True):
        step(complaint, "accept", handler)
        step(complaint, "assign", handler, department=orgs["harbin_dept"])
        step(complaint, "reply", officer, comment="已约谈窗口负责人")
        complaint = step(complaint, "close", handler)
    assert complaint.status == ComplaintStatus.CONCLUDED and complaint.result == "已约谈窗口负责人"
    assert complaint.replied_at and complaint.concluded_at
    assert [m["mobile"] for m in sms_simulator.messages] == ["13900000013", "13900000012"]


def _nothing_written(complaint, before_transitions):
    complaint.refresh_from_db()
    assert StateTransition.objects.count() == before_transitions
    assert not SmsMessage.objects.exists() and not OutboxMessage.objects.exists()
    return complaint


def test_refusals_write_nothing(people, orgs):
    complaint = file_complaint()
    before = StateTransition.objects.count()
    with pytest.raises(PermissionDenied):
        step(complaint, "accept", people["dept"])                      # department cannot accept
    with pytest.raises(PermissionDenied):
        step(complaint, "accept", people["qiqihar"])                   # other city: outside scope
    with pytest.raises(PermissionDenied):
        step(complaint, "accept", people["idle"])                      # no permission
    with pytest.raises(ValidationError):
        step(complaint, "close", people["harbin"])                     # wrong state
    with pytest.raises(ValidationError):
        step(complaint, "transfer", people["harbin"], department=orgs["harbin_dept"])  # provincial: assign
    with pytest.raises(ValidationError):
        step(complaint, "no_such_step", people["harbin"])
    assert _nothing_written(complaint, before).status == ComplaintStatus.PENDING
    step(complaint, "accept", people["harbin"])
    before = StateTransition.objects.count()
    with pytest.raises(ValidationError):
        step(complaint, "assign", people["harbin"])                    # no department
    with pytest.raises(ValidationError):
        step(complaint, "assign", people["harbin"], department=orgs["qiqihar"])  # outside the city
    assert _nothing_written(complaint, before).status == ComplaintStatus.ACCEPTED


def test_failed_review_goes_back_to_the_department(people, orgs):
    complaint, _ = complaint_import(source=ComplaintSource.NATIONAL_PLATFORM, external_id="N-7",
                                    data={"title": "t", "content": "c", "region_code": "230100000000"})
    for action, actor, extra in [("accept", "province", {}), ("transfer", "province", {"department": orgs["harbin_dept"]}),
                                 ("receive", "dept", {}), ("enter_result", "dept", {"comment": "初步结果"})]:
        complaint = step(complaint, action, people[actor], **extra)
    with pytest.raises(ValidationError):
        step(complaint, "reject", people["province"])                  # reason required
    complaint = step(complaint, "reject", people["province"], comment="结果不完整")
    assert complaint.status == ComplaintStatus.RECEIVED
