"""Declaration with the time-limit rules (MAT-2.1.5) and review into the catalogue (MAT-2.1.5 (1))."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.core.models import OutboxMessage, StateTransition
from apps.matters.models import CatalogueItem, MatterStatus, MatterVersion, ProcessStep
from apps.matters.services.declaration import (
    catalogue_item_claim, catalogue_item_declare, matter_review, matter_submit,
)
from apps.matters.tests.factories import children, element_data, establishment_user, steps

pytestmark = pytest.mark.django_db


def _declare(people, orgs, **kwargs):
    data = element_data(**kwargs.pop("data", {}))
    return catalogue_item_declare(actor=people["harbin"], department=orgs["harbin_dept"], data=data,
                                  children=kwargs.pop("children", children()), **kwargs)


def _nothing_written():
    assert CatalogueItem.objects.count() == 0
    assert ProcessStep.objects.count() == 0
    assert StateTransition.objects.count() == 0


@pytest.mark.spec("MAT-2.1.5")
def test_committed_limit_above_statutory_is_refused(people, orgs):
    with pytest.raises(ValidationError) as caught:
        _declare(people, orgs, data={"statutory_limit_working_days": 15, "committed_limit_working_days": 20},
                 children=children(step_limits=(10, 10)))
    assert "承诺办结时限（20个工作日）不得超过法定办结时限（15个工作日）" in str(caught.value)
    _nothing_written()


@pytest.mark.spec("MAT-2.1.5")
def test_post_limits_after_acceptance_must_add_up_to_the_committed_limit(people, orgs):
    with pytest.raises(ValidationError) as caught:
        _declare(people, orgs, data={"statutory_limit_working_days": 30, "committed_limit_working_days": 20},
                 children=children(step_limits=(5, 5, 5)))
    assert "受理环节之后各岗位办理时限之和为15个工作日，应等于承诺办结时限20个工作日" in str(caught.value)
    _nothing_written()
    item = _declare(people, orgs, data={"statutory_limit_working_days": 30, "committed_limit_working_days": 20},
                    children=children(step_limits=(5, 5, 10)))
    assert item.status == MatterStatus.PENDING_REVIEW


@pytest.mark.spec("MAT-2.1.5")
def test_committed_limit_required_unless_immediate(people, orgs):
    with pytest.raises(ValidationError, match="非即办件必须填写承诺办结时限"):
        _declare(people, orgs, data={"committed_limit_working_days": None})
    _nothing_written()
    item = _declare(people, orgs, data={"is_immediate": True, "committed_limit_working_days": None,
                                        "statutory_limit_working_days": None},
                    children={"steps": steps(acceptance_limit=0)})
    assert item.status == MatterStatus.PENDING_REVIEW


@pytest.mark.spec("MAT-2.1.5")
def test_missing_acceptance_post_is_refused(people, orgs):
    rows = [{"name": "审查", "is_acceptance": False, "step_limit_working_days": 10, "description": ""}]
    with pytest.raises(ValidationError, match="请在办理环节中指定受理环节"):
        _declare(people, orgs, children={"steps": rows})
    _nothing_written()


@pytest.mark.spec("MAT-2.1.5")
def test_draft_may_be_saved_incomplete_but_submission_checks_the_rules(people, orgs):
    item = _declare(people, orgs, data={"committed_limit_working_days": 25}, submit=False)
    assert item.status == MatterStatus.DRAFT
    with pytest.raises(ValidationError, match="不得超过法定办结时限"):
        matter_submit(actor=people["harbin"], item=item)
    item.refresh_from_db()
    assert item.status == MatterStatus.DRAFT


@pytest.mark.spec("MAT-2.1.5")
def test_template_prefills_the_declaration(people, orgs):
    template = _declare(people, orgs)
    copy = catalogue_item_declare(actor=people["harbin"], department=orgs["harbin_dept"], template=template,
                                  data={"name": "食品经营许可（仅销售预包装食品）"}, children=children())
    assert copy.legal_basis == template.legal_basis
    assert copy.handling_location == template.handling_location
    assert copy.basic_code != template.basic_code


@pytest.mark.spec("MAT-2.1.5", "MAT-2.1.3")
def test_establishment_office_approval_publishes_version_one_and_reports_upward(people, orgs):
    item = _declare(people, orgs)
    matter_review(actor=people["harbin_establishment"], item=item, approve=True, comment="同意")
    item.refresh_from_db()
    assert (item.status, item.version) == (MatterStatus.PUBLISHED, 1)
    version = MatterVersion.objects.get(catalogue_item=item)
    assert version.number == 1 and version.snapshot["name"] == "食品经营许可"
    assert [m["name"] for m in version.snapshot["materials"]] == ["营业执照", "食品经营许可申请书"]
    message = OutboxMessage.objects.get(peer="national_platform")
    assert message.payload["code"] == item.basic_code and message.payload["version"] == 1


@pytest.mark.spec("MAT-2.1.5")
def test_rejection_needs_an_opinion_and_reviewers_of_another_city_are_refused(people, orgs, regions):
    item = _declare(people, orgs)
    with pytest.raises(ValidationError, match="驳回时必须填写审核意见"):
        matter_review(actor=people["harbin_establishment"], item=item, approve=False)
    qiqihar_reviewer = establishment_user(regions["230200000000"], "qqhr_bianban")
    with pytest.raises(PermissionDenied):
        matter_review(actor=qiqihar_reviewer, item=item, approve=True)
    item.refresh_from_db()
    assert item.status == MatterStatus.PENDING_REVIEW
    matter_review(actor=people["harbin_establishment"], item=item, approve=False, comment="材料目录不全")
    item.refresh_from_db()
    assert item.status == MatterStatus.REJECTED


@pytest.mark.spec("MAT-2.1.5")
def test_department_cannot_declare_for_another_citys_department(people, orgs):
    with pytest.raises(PermissionDenied):
        catalogue_item_declare(actor=people["qiqihar"], department=orgs["harbin_dept"], data=element_data(),
                               children=children())
    _nothing_written()


@pytest.mark.spec("MAT-2.2")
def test_claim_copies_basic_elements_and_children(published_item, people, orgs):
    item = catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item,
                                implementing_body=orgs["daoli_dept"])
    assert item.status == MatterStatus.DRAFT
    assert (item.name, item.legal_basis, item.region_id) == (published_item.name, published_item.legal_basis,
                                                            "230102000000")
    assert [m.name for m in item.materials.all()] == ["营业执照", "食品经营许可申请书"]
    matter_submit(actor=people["daoli"], item=item)
    item.refresh_from_db()
    assert item.status == MatterStatus.PENDING_REVIEW
