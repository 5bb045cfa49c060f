"""Case numbering and the minimal lifecycle (register → accept → conclude)."""
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from apps.acceptance.models import Case, CaseStatus
from apps.acceptance.services.cases import case_accept, case_conclude, case_register
from apps.acceptance.tests import factories as f
from apps.core.calendar import add_working_days
from apps.core.workflow import history_for

pytestmark = pytest.mark.django_db


def test_case_number_is_implementation_code_date_and_daily_serial(orgs):
    item = f.matter(orgs["harbin_dept"])
    clerk = f.clerk(orgs["harbin_dept"])
    first = case_register(item=item, applicant_name="张三", applicant_id_number=f.id_number(1), actor=clerk)
    second = case_register(item=item, applicant_name="李四", applicant_id_number=f.id_number(2), actor=clerk)
    today = timezone.localdate().strftime("%Y%m%d")
    assert first.case_number == f"{item.implementation_code}{today}0001"
    assert second.case_number == f"{item.implementation_code}{today}0002"


def test_accept_sets_due_date_in_working_days_and_conclude_records_history(orgs):
    item = f.matter(orgs["harbin_dept"])
    item.committed_limit_working_days = 5
    item.save(update_fields=["committed_limit_working_days"])
    clerk = f.clerk(orgs["harbin_dept"])
    case = case_register(item=item, applicant_name="张三", applicant_id_number=f.id_number(1), actor=clerk)
    case = case_accept(case=case, actor=clerk)
    assert case.due_date == add_working_days(timezone.localdate(), 5)
    case = case_conclude(case=case, actor=clerk)
    assert case.status == CaseStatus.CONCLUDED and case.concluded_at
    assert [t.to_state for t in history_for(case)] == ["pending_acceptance", "accepted", "concluded"]
    with pytest.raises(ValidationError):
        case_conclude(case=case, actor=clerk)


def test_bad_applicant_or_no_permission_writes_nothing(orgs, staff):
    item = f.matter(orgs["harbin_dept"])
    clerk = f.clerk(orgs["harbin_dept"])
    with pytest.raises(ValidationError):
        case_register(item=item, applicant_name="张三", applicant_id_number="230101199001010000", actor=clerk)
    with pytest.raises(PermissionDenied):
        case_register(item=item, applicant_name="张三", applicant_id_number=f.id_number(1), actor=staff["harbin_dept"])
    assert not Case.objects.exists()
    case = case_register(item=item, applicant_name="张三", applicant_id_number=f.id_number(1), actor=clerk)
    outsider = f.clerk(orgs["qiqihar"], "qiqihar_clerk")
    with pytest.raises(PermissionDenied):
        case_accept(case=case, actor=outsider)


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_distinct_numbers(orgs):
    item = f.matter(orgs["harbin_dept"])
    clerk = f.clerk(orgs["harbin_dept"])
    numbers, errors = [], []

    def register(n):
        try:
            numbers.append(case_register(item=item, applicant_name=f"申请人{n}",
                                         applicant_id_number=f.id_number(n), actor=clerk).case_number)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(set(numbers)) == 8
    assert sorted(int(n[-4:]) for n in numbers) == list(range(1, 9))
