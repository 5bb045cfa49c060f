"""REV-24.1 / REV-22.0: what we report to the national 好差评 system follows the national data
standard — field names, code lists and level direction of the national interface
(reference-codes.md §7.2–7.5) — checked on the records the simulator received over HTTP."""
import re

import pytest
from django.urls import reverse

from apps.acceptance.tests.factories import id_number as acc_id_number
from apps.core.models import OutboxMessage
from apps.core.outbox import deliver
from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory
from apps.reviews.adapters.simulators import national_record_error
from apps.reviews.models import EvaluationTag
from apps.reviews.tests.factories import evaluate

pytestmark = pytest.mark.django_db
UPLOAD = "/api/v1/reviews/open/evaluations/"
VALID_ID = acc_id_number(38)

#: The national evaluation record (reference-codes.md §7.5) — every field we must send.
NATIONAL_FIELDS = {"assessId", "projectNo", "taskCode", "taskHandleItem", "pf", "userId", "userProp", "userName",
                   "userPageType", "certKey", "anonymityFlag", "satisfaction", "evalDetail", "writingEvaluation",
                   "assessTime", "assessNumber", "appStatus", "proManager", "proDepart", "proDepartCode", "areaCode"}
#: §7.3 channel codes (GB/T 39046 Table 9): PC端 1, 移动服务端 2, 二维码 3, 大厅平板 4, 其他终端 5, 电话 6, 短信 7.
PF = {"pc": "1", "app": "2", "qr": "3", "hall": "4", "self_service_terminal": "5", "hotline": "6", "sms": "7"}
#: §7.2 national `satisfaction`: 5 非常满意 … 1 非常不满意 — the reverse of our levels 1 … 5.
SATISFACTION = {1: "5", 2: "4", 3: "3", 4: "2", 5: "1"}


def delivered_records(national_sim) -> list[dict]:
    for message in OutboxMessage.objects.filter(peer="reviews_national", kind="evaluations"):
        assert deliver(message.pk) == "delivered", message.last_error
    return national_sim.evaluations


@pytest.mark.spec("REV-24.1", "REV-22.0")
def test_reported_evaluations_follow_the_national_field_set(world, national_sim, no_backoff):
    company = UserFactory(username="company1", kind=UserKind.LEGAL_PERSON, full_name="某公司")
    sent = {}
    for n, channel in enumerate(PF, start=1):
        level = 1 + (n - 1) % 5
        sent[channel] = evaluate(world.case(n), level=level, channel=channel, comment=f"第{n}条",
                                 evaluator=company if channel == "app" else None)
    records = {r["assessId"]: r for r in delivered_records(national_sim)}
    assert len(records) == len(PF)
    for channel, evaluation in sent.items():
        record = records[evaluation.evaluation_number]
        assert NATIONAL_FIELDS <= set(record) and set(record) - NATIONAL_FIELDS <= {"taskName", "ext"}
        assert national_record_error(record) == ""
        assert record["pf"] == PF[channel]
        assert record["satisfaction"] == SATISFACTION[evaluation.level]
        assert record["projectNo"] == evaluation.case.case_number
        assert record["taskCode"] == world.item.implementation_code
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", record["assessTime"])
        assert record["proDepartCode"] == world.org.credit_code and len(record["proDepartCode"]) == 18
        assert record["areaCode"] == evaluation.region_id[:6] and record["assessNumber"] == "1"
        assert record["anonymityFlag"] == "2" and record["proManager"] == world.staff.name
        expected = EvaluationTag.objects.filter(object_kind="case", level=evaluation.level,
                                                name__in=evaluation.tags).values_list("national_code", flat=True)
        assert record["evalDetail"] == ",".join(sorted(expected))
        assert "身份证" not in str(record) and "idNumber" not in record  # never a plain ID number
        assert evaluation.case.applicant_id_number not in str(record)
        assert record["userPageType"] in ("111", "001") and re.fullmatch(r"[0-9A-F]{64}", record["certKey"])
    assert records[sent["app"].evaluation_number]["userProp"] == "2"  # 法人
    assert records[sent["pc"].evaluation_number]["userProp"] == "1"
    bad = records[sent["hall"].evaluation_number]  # 不满意 with its tag
    assert bad["satisfaction"] == "2" and bad["evalDetail"].startswith("GB") and "," not in bad["evalDetail"]
    assert records[sent["self_service_terminal"].evaluation_number]["satisfaction"] == "1"  # 非常不满意


@pytest.mark.spec("REV-24.1")
def test_anonymous_evaluation_is_flagged_and_nameless(world, citizen, national_sim, no_backoff):
    from apps.reviews.services.evaluations import EvaluationInput, evaluation_submit

    evaluation_submit(data=EvaluationInput(object_kind="case", channel="pc", level=1, case=world.case(1),
                                           evaluator=citizen, is_anonymous=True))
    record = delivered_records(national_sim)[0]
    assert (record["anonymityFlag"], record["userName"]) == ("1", "")


def test_simulator_refuses_a_record_off_the_national_code_lists():
    good = {"assessId": "PJ1", "projectNo": "", "taskCode": "", "taskHandleItem": "", "pf": "1", "userId": "7",
            "userName": "张三", "userProp": "1", "userPageType": "111", "certKey": "A" * 64, "anonymityFlag": "2",
            "satisfaction": "5", "evalDetail": "", "writingEvaluation": "", "assessTime": "2026-01-02 03:04:05",
            "assessNumber": "1", "appStatus": "0", "proManager": "", "proDepart": "某局", "proDepartCode": "1" * 18,
            "areaCode": "230100"}
    assert national_record_error(good) == ""
    assert national_record_error({**good, "userPageType": "", "certKey": ""}) == ""  # no certificate known
    assert "certKey" in national_record_error({k: v for k, v in good.items() if k != "certKey"})
    assert "certKey" in national_record_error({**good, "certKey": ""})
    assert "certKey" in national_record_error({**good, "certKey": "230101199001010012"})  # a plain number
    assert "userPageType" in national_record_error({**good, "userPageType": ""})
    for name in ("taskHandleItem", "userId", "appStatus", "userName", "proManager"):
        assert name in national_record_error({k: v for k, v in good.items() if k != name})
    assert "satisfaction" in national_record_error({**good, "satisfaction": "6"})
    assert "pf" in national_record_error({**good, "pf": "hall"})
    assert "assessTime" in national_record_error({**good, "assessTime": "2026-01-02T03:04:05"})
    assert "areaCode" in national_record_error({**good, "areaCode": "230100000000"})
    assert "anonymityFlag" in national_record_error({k: v for k, v in good.items() if k != "anonymityFlag"})


def broken_hash(number: str, name: str) -> str:
    """A national identity hash plug-in that fails to produce a key (REVIEWS_NATIONAL_CERT_KEY_FUNCTION)."""
    return ""


@pytest.mark.spec("REV-24.1", "REV-22.0")
def test_cert_key_is_the_identity_hash_of_the_evaluator(world, national_sim, no_backoff):
    from apps.reviews.adapters.national import default_cert_key
    from apps.reviews.services.evaluations import EvaluationInput, evaluation_submit

    qr_case = world.case(1)  # an anonymous receipt-QR scan: the case's applicant evaluates
    by_qr = evaluate(qr_case, level=1, channel="qr")
    person = UserFactory(username="idp1", kind=UserKind.NATURAL_PERSON, full_name="王五")
    person.id_number = VALID_ID
    person.save()
    by_person = evaluate(world.case(2, applicant=person), level=2, channel="pc", evaluator=person)
    company = UserFactory(username="corp1", kind=UserKind.LEGAL_PERSON, full_name="某某有限公司",
                          credit_code=world.org.credit_code)
    by_company = evaluation_submit(data=EvaluationInput(object_kind="hall", channel="pc", level=1, hall=world.hall,
                                                        evaluator=company))
    nameless = evaluation_submit(data=EvaluationInput(object_kind="hall", channel="hall", level=1, hall=world.hall))
    records = {r["assessId"]: r for r in delivered_records(national_sim)}
    qr = records[by_qr.evaluation_number]
    assert (qr["userPageType"], qr["userProp"]) == ("111", "1")
    assert qr["certKey"] == default_cert_key(qr_case.applicant_id_number, qr_case.applicant_name)
    mine = records[by_person.evaluation_number]
    assert mine["certKey"] == default_cert_key(VALID_ID, "王五") and mine["userId"] == str(person.pk)
    corp = records[by_company.evaluation_number]
    assert (corp["userPageType"], corp["userProp"]) == ("001", "2")
    assert corp["certKey"] == default_cert_key(world.org.credit_code, "某某有限公司")
    assert (records[nameless.evaluation_number]["userPageType"], records[nameless.evaluation_number]["certKey"]) == (
        "", "")
    for record in records.values():
        assert VALID_ID not in str(record) and qr_case.applicant_id_number not in str(record)


@pytest.mark.spec("REV-22.0")
def test_a_record_missing_cert_key_is_refused_and_stays_dead_for_admins(world, national_sim, no_backoff,
                                                                         settings, client):
    from apps.core.models import OutboxStatus
    from apps.core.tests.factories_flow import staff_with
    from apps.reviews.models import Evaluation

    complete = evaluate(world.case(1), level=1, channel="qr")
    assert delivered_records(national_sim)[0]["assessId"] == complete.evaluation_number  # accepted
    settings.REVIEWS_NATIONAL_CERT_KEY_FUNCTION = "apps.reviews.tests.test_national_standard.broken_hash"
    incomplete = evaluate(world.case(2), level=2, channel="qr")
    message = OutboxMessage.objects.get(peer="reviews_national", payload__evaluations__0__assessId=(
        incomplete.evaluation_number))
    assert deliver(message.pk) == OutboxStatus.DEAD  # HTTP 400 is permanent: no retries
    message.refresh_from_db()
    assert "certKey missing" in message.last_error and message.attempts == 1
    assert [r["assessId"] for r in national_sim.evaluations] == [complete.evaluation_number]  # refused
    assert Evaluation.objects.filter(pk=incomplete.pk).exists()  # the evaluation itself is kept
    admin = staff_with("core.view_outboxmessage", organisation=world.org)
    client.force_login(admin)
    listing = client.get(reverse("core:outbox-list"), {"status": OutboxStatus.DEAD}).content.decode()
    assert "reviews_national" in listing and "certKey missing" in listing
    detail = client.get(reverse("core:outbox-detail", args=[message.pk])).content.decode()
    assert "certKey missing" in detail and incomplete.evaluation_number in detail


@pytest.mark.spec("REV-3.1", "REV-24.1")
def test_integrator_may_send_an_id_number_that_only_travels_as_cert_key(world, staff, national_sim, no_backoff):
    from django.test import Client

    from apps.reviews.adapters.national import default_cert_key
    from apps.reviews.models import Evaluation
    from apps.reviews.tests.factories import call
    from apps.reviews.tests.factories import client as make_client

    app, secret = make_client(world.org, staff["province"])
    row = {"external_id": "ID-1", "object_kind": "hall", "level": 1, "hall_number": world.hall.hall_number,
           "evaluator_name": "赵六", "evaluator_id_number": VALID_ID}
    http = Client()
    bad = call(http, app, secret, "POST", UPLOAD, {"evaluations": [{**row, "evaluator_id_number": "2301011990"}]})
    assert bad.status_code == 400 and "身份证号码格式不正确" in bad.content.decode()
    nameless = call(http, app, secret, "POST", UPLOAD, {"evaluations": [{**row, "evaluator_name": ""}]})
    assert nameless.status_code == 400 and "评价人姓名" in nameless.content.decode()
    assert not Evaluation.objects.exists()
    assert call(http, app, secret, "POST", UPLOAD, {"evaluations": [row]}).status_code == 201
    record = delivered_records(national_sim)[0]
    assert (record["userPageType"], record["certKey"]) == ("111", default_cert_key(VALID_ID, "赵六"))
    assert VALID_ID not in str(record)
    assert VALID_ID not in str(list(Evaluation.objects.values()))  # never stored
