"""Harbin custom review (MAT-7.12): attachment required, county bureau first, provincial department last."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.models import OutboxMessage
from apps.core.tests.factories import OrganisationFactory
from apps.identity.tests.factories import StaffFactory
from apps.matters.models import CustomReviewRule, StagedReview
from apps.matters.services.declaration import (
    catalogue_item_claim, catalogue_item_declare, matter_review, matter_submit,
)
from apps.matters.services.staged_review import staged_review_decide, staged_submit
from apps.matters.tests.factories import children, department_user, element_data, establishment_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(regions, orgs, people):
    province_dept = OrganisationFactory(name="黑龙江省市场监督管理局", region=regions["230000000000"])
    province_user = department_user(province_dept, "sheng_scj")
    catalogue = catalogue_item_declare(actor=province_user, department=province_dept, data=element_data(),
                                       children=children())
    matter_review(actor=establishment_user(regions["230000000000"], "sheng_bb"), item=catalogue, approve=True)
    CustomReviewRule.objects.create(region=regions["230100000000"],
                                    original_platform_url="https://hrb.example.gov.cn/items?org={code}")
    item = catalogue_item_claim(actor=people["daoli"], catalogue_item=catalogue, implementing_body=orgs["daoli_dept"])
    bureau = StaffFactory(username="daoli_ys", organisation=OrganisationFactory(
        name="道里区营商局", region=orgs["daoli_dept"].region, kind="business_environment_bureau"))
    return {"item": item, "province": province_user, "bureau": bureau}


@pytest.mark.spec("MAT-7.12")
def test_district_report_needs_attachment_then_bureau_then_province(setup, people, orgs, client, regions):
    item, bureau, province = setup["item"], setup["bureau"], setup["province"]
    with pytest.raises(ValidationError, match="情况说明附件"):
        matter_submit(actor=people["daoli"], item=item)
    with pytest.raises(ValidationError, match="情况说明附件"):
        staged_submit(actor=people["daoli"], item=item, action="declare", attachment_name="", attachment=b"")
    item.refresh_from_db()
    assert item.status == "draft" and not StagedReview.objects.exists()
    client.force_login(people["daoli"])
    page = client.get(item.get_absolute_url()).content.decode()
    assert 'id="staged-submit"' in page and f"org={orgs['daoli_dept'].credit_code}" in page
    client.post(reverse("matters:implementation-submit", args=[item.pk]), {
        "action": "declare", "reason": "新增事项", "attachment": SimpleUploadedFile("说明.pdf", b"%PDF-1.4")})
    review = StagedReview.objects.get()
    item.refresh_from_db()
    assert (review.stage, item.status, review.final_department.name) == ("initial", "pending_review", "黑龙江省市场监督管理局")
    with pytest.raises(PermissionDenied):                        # the 编办 route is closed for this item
        matter_review(actor=people["harbin_establishment"], item=item, approve=True)
    with pytest.raises(PermissionDenied, match="初审"):
        staged_review_decide(actor=province, review=review, approve=True)
    client.force_login(bureau)
    assert 'data-review="食品经营许可"' in client.get(reverse("matters:staged-review-done")).content.decode()
    client.post(reverse("matters:staged-review", args=[review.pk]), {"decision": "approve", "comment": "初审同意"})
    review.refresh_from_db()
    assert review.stage == "final"
    with pytest.raises(PermissionDenied, match="终审"):
        staged_review_decide(actor=bureau, review=review, approve=True)
    staged_review_decide(actor=province, review=review, approve=True, comment="终审同意")
    item.refresh_from_db()
    assert (item.status, item.version) == ("published", 1)
    assert OutboxMessage.objects.filter(idempotency_key=f"matters:implementation:{item.pk}:v1").exists()
    # cancelling needs an attachment too and goes the same way
    cancel = staged_submit(actor=people["daoli"], item=item, action="cancel", attachment_name="注销说明.docx",
                           attachment=b"PK..")
    staged_review_decide(actor=bureau, review=cancel, approve=False, comment="材料不全")
    cancel.refresh_from_db()
    item.refresh_from_db()
    assert cancel.stage == "rejected" and item.status == "published"


def test_items_outside_the_rule_keep_the_normal_review(setup, people, orgs, published_item):
    harbin_city_item = catalogue_item_claim(actor=people["harbin"], catalogue_item=published_item,
                                            implementing_body=orgs["harbin_dept"])
    matter_submit(actor=people["harbin"], item=harbin_city_item)          # city level: not covered
    harbin_city_item.refresh_from_db()
    assert harbin_city_item.status == "pending_review"
