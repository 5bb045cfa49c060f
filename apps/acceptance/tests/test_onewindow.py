"""One-window acceptance services: online application, pre-review, window intake, decisions, supplements,
issuance (ACC-6.x, 7.x, 9.x, 10.x)."""
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.acceptance.models import (
    Case, CaseDocument, CaseMaterial, CaseStatus, CaseSupplement, DispatchStatus, DocumentKind, IssuanceStatus,
    SupplementStatus,
)
from apps.acceptance.services import onewindow as ow
from apps.acceptance.services.cases import case_accept, case_conclude
from apps.acceptance.services.issuance import case_issue
from apps.acceptance.tests import factories as f
from apps.core.calendar import add_working_days
from apps.core.models import SmsMessage
from apps.core.workflow import history_for
from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(orgs):
    item, _situation = f.with_materials(f.matter(orgs["harbin_dept"]))
    return item


@pytest.fixture
def clerk(orgs):
    return f.clerk(orgs["harbin_dept"])


@pytest.fixture
def applicant(db):
    return UserFactory(username="applicant_1", kind=UserKind.NATURAL_PERSON)


def _apply(item, applicant, **extra):
    required = item.materials.get(name="申请书")
    return ow.case_apply_online(item=item, actor=applicant, applicant_name="张三", applicant_id_number=f.id_number(1),
                                applicant_mobile="13900000001", files={str(required.pk): f.upload()},
                                form_data={"经营场所": "哈尔滨市道里区"}, **extra)


@pytest.mark.spec("ACC-6.1", "ACC-6.2", "ACC-6.4", "ACC-0.9")
def test_online_application_pre_review_pass_then_accept(item, clerk, applicant):
    case = _apply(item, applicant)
    assert case.status == CaseStatus.PENDING_PRE_REVIEW
    assert case.pre_review_due == add_working_days(timezone.localdate(), ow.PRE_REVIEW_WORKING_DAYS)
    assert list(case.materials.values_list("name", flat=True)) == ["申请书"]
    case = ow.case_pre_review(case=case, actor=clerk, decision="pass", opinion="材料齐全")
    assert case.status == CaseStatus.PRE_REVIEW_PASSED and case.pre_review_opinion == "材料齐全"
    assert SmsMessage.objects.filter(purpose="acceptance").count() == 1
    case = case_accept(case=case, actor=clerk)
    assert case.status == CaseStatus.ACCEPTED
    assert CaseDocument.objects.filter(case=case, kind=DocumentKind.ACCEPTANCE_NOTICE).exists()
    assert case.dispatch_status == DispatchStatus.NO_ROUTE
    assert [t.to_state for t in history_for(case)] == ["pending_pre_review", "pre_review_passed", "accepted"]


@pytest.mark.spec("ACC-7.2", "ACC-7.5")
def test_situations_select_the_checklist_and_missing_required_material_writes_nothing(item, applicant, orgs):
    situation = item.situations.get()
    names = [m.name for m in ow.materials_checklist(item, [situation.pk])]
    assert names == ["申请书", "营业执照复印件", "授权委托书"]
    assert [m.name for m in ow.materials_checklist(item)] == ["申请书", "营业执照复印件"]
    with pytest.raises(ValidationError, match="授权委托书"):
        _apply(item, applicant, situation_ids=[situation.pk])
    assert not Case.objects.exists() and not CaseMaterial.objects.exists()


def test_forbidden_file_type_and_virus_are_refused_with_nothing_written(item, applicant):
    required = item.materials.get(name="申请书")
    for bad in (f.upload("申请书.exe", b"MZ..."), f.upload("申请书.pdf", b"X5O!P%@AP EICAR-STANDARD-ANTIVIRUS-TEST-FILE")):
        with pytest.raises(ValidationError):
            ow.case_apply_online(item=item, actor=applicant, applicant_name="张三", applicant_id_number=f.id_number(1),
                                 files={str(required.pk): bad})
    assert not Case.objects.exists()


@pytest.mark.spec("ACC-6.3")
def test_pre_review_times_out_then_is_voided(item, applicant):
    case = _apply(item, applicant)
    due = case.pre_review_due
    assert ow.case_pre_review_sweep(today=due) == {"timed_out": 0, "voided": 0}
    assert ow.case_pre_review_sweep(today=due + timedelta(days=1))["timed_out"] == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.PRE_REVIEW_TIMED_OUT
    late = add_working_days(due, ow.PRE_REVIEW_VOID_WORKING_DAYS) + timedelta(days=1)
    assert ow.case_pre_review_sweep(today=late)["voided"] == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.PRE_REVIEW_VOIDED and case.is_final


def test_pre_review_needs_an_opinion_and_the_handler(item, applicant, orgs):
    case = _apply(item, applicant)
    with pytest.raises(ValidationError):
        ow.case_pre_review(case=case, actor=f.clerk(orgs["harbin_dept"]), decision="pass", opinion=" ")
    for outsider in (applicant, f.clerk(orgs["qiqihar"], "qq_clerk")):
        with pytest.raises(PermissionDenied):
            ow.case_pre_review(case=case, actor=outsider, decision="pass", opinion="好")
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING_PRE_REVIEW and not case.pre_review_opinion


@pytest.mark.spec("ACC-7.3", "ACC-7.16")
def test_window_intake_and_refusal_print_their_documents(item, clerk):
    required = item.materials.get(name="申请书")
    case = ow.case_window_intake(item=item, actor=clerk, applicant_name="李四", applicant_id_number=f.id_number(2),
                                 applicant_mobile="13900000002", received={required.pk})
    assert case.status == CaseStatus.PENDING_ACCEPTANCE
    assert case.materials.get().medium == "paper"
    with pytest.raises(ValidationError):
        ow.case_refuse(case=case, actor=clerk, reason="")
    case = ow.case_refuse(case=case, actor=clerk, reason="不属于本部门职权范围")
    assert case.status == CaseStatus.NOT_ACCEPTED
    assert set(case.documents.values_list("kind", flat=True)) == {
        DocumentKind.INTAKE_RECEIPT, DocumentKind.MATERIAL_LIST, DocumentKind.NON_ACCEPTANCE_NOTICE}


@pytest.mark.spec("ACC-9.1", "ACC-9.2", "ACC-9.3", "ACC-9.4", "ACC-7.9")
def test_supplement_with_working_day_deadline_then_resubmitted_and_accepted(item, clerk, applicant):
    case = _apply(item, applicant)
    case = ow.case_pre_review(case=case, actor=clerk, decision="supplement", opinion="缺少营业执照复印件",
                              supplement_days=3)
    supplement = case.supplements.get()
    assert case.status == CaseStatus.SUPPLEMENT_REQUIRED
    assert supplement.deadline == add_working_days(timezone.localdate(), 3)
    assert CaseDocument.objects.filter(case=case, kind=DocumentKind.SUPPLEMENT_NOTICE).exists()
    assert SmsMessage.objects.filter(purpose="acceptance", content__contains="补齐补正").count() == 1
    ow.supplement_submit(supplement=supplement, actor=clerk, files={"营业执照复印件": f.upload("执照.jpg", b"\xff\xd8")})
    case.refresh_from_db()
    supplement.refresh_from_db()
    assert supplement.status == SupplementStatus.SUBMITTED and supplement.materials.count() == 1
    assert case.status == CaseStatus.PRE_REVIEW_PASSED
    assert case_accept(case=case, actor=clerk).status == CaseStatus.ACCEPTED


@pytest.mark.spec("ACC-14.12")
def test_supplement_after_deadline_refused_and_timeout_voids_the_case(item, clerk, applicant):
    case = _apply(item, applicant)
    case = ow.case_pre_review(case=case, actor=clerk, decision="supplement", opinion="补充申请书", supplement_days=1)
    supplement = case.supplements.get()
    with pytest.raises(ValidationError, match="已超过补正截止日期"):
        ow.supplement_submit(supplement=supplement, actor=clerk, note="补交", today=supplement.deadline + timedelta(1))
    assert CaseSupplement.objects.get().status == SupplementStatus.PENDING
    assert ow.supplement_timeout_sweep(today=supplement.deadline + timedelta(days=1)) == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.VOIDED
    assert CaseSupplement.objects.get().status == SupplementStatus.TIMED_OUT


@pytest.mark.spec("ACC-10.1", "ACC-10.3", "ACC-10.4", "ACC-10.5")
def test_unified_issuance_after_conclusion(item, clerk):
    case = f.concluded_case(item, clerk)
    assert case.issuance_status == IssuanceStatus.PENDING
    with pytest.raises(ValidationError):
        case_issue(case=case, actor=clerk, method="express", recipient="张三", address="哈尔滨市")
    assert case.issuance_status == IssuanceStatus.PENDING
    delivery = case_issue(case=case, actor=clerk, method="express", recipient="张三", address="哈尔滨市道里区1号",
                          waybill_number="SF1234567890")
    case.refresh_from_db()
    assert case.issuance_status == IssuanceStatus.ISSUED and delivery.waybill_number == "SF1234567890"
    with pytest.raises(ValidationError):
        case_issue(case=case, actor=clerk, method="pickup", recipient="张三")


def test_conclude_still_works_for_the_reviews_factory(item, clerk):
    case = f.concluded_case(item, clerk, n=3)
    assert case.status == CaseStatus.CONCLUDED
    assert case_conclude is not None and case.case_code.code.startswith(item.implementation_code)
