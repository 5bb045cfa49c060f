"""REV-24.1 / REV-22.0: what we report to the national 好差评 system follows the national data
standard — field names, code lists and level direction of the national interface
(reference-codes.md §7.2–7.5) — checked on the records the simulator received over HTTP."""
import re

import pytest

from apps.core.models import OutboxMessage
from apps.core.outbox import deliver
from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory
from apps.reviews.adapters.simulators import national_record_error
from apps.reviews.models import EvaluationTag
from apps.reviews.tests.factories import evaluate

pytestmark = pytest.mark.django_db

#: The national evaluation record (reference-codes.md §7.5) — every field we must send.
NATIONAL_FIELDS = {"assessId", "projectNo", "taskCode", "pf", "userProp", "userName", "anonymityFlag",
                   "satisfaction", "evalDetail", "writingEvaluation", "assessTime", "assessNumber", "proManager",
                   "proDepart", "proDepartCode", "areaCode"}
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
    good = {"assessId": "PJ1", "projectNo": "", "taskCode": "", "pf": "1", "userProp": "1", "anonymityFlag": "2",
            "satisfaction": "5", "evalDetail": "", "writingEvaluation": "", "assessTime": "2026-01-02 03:04:05",
            "assessNumber": "1", "proDepart": "某局", "proDepartCode": "1" * 18, "areaCode": "230100"}
    assert national_record_error(good) == ""
    assert "satisfaction" in national_record_error({**good, "satisfaction": "6"})
    assert "pf" in national_record_error({**good, "pf": "hall"})
    assert "assessTime" in national_record_error({**good, "assessTime": "2026-01-02T03:04:05"})
    assert "areaCode" in national_record_error({**good, "areaCode": "230100000000"})
    assert "anonymityFlag" in national_record_error({k: v for k, v in good.items() if k != "anonymityFlag"})
