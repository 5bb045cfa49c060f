"""Demonstration items (MAT-7.3): review account then review group; never reported nor delegated."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.core.models import OutboxMessage
from apps.core.tests.factories import OrganisationFactory
from apps.identity.tests.factories import StaffFactory
from apps.matters.models import DemonstrationDepartment, DemonstrationReview, DemonstrationReviewer
from apps.matters.services.declaration import catalogue_item_claim, matter_submit
from apps.matters.services.demonstration import demonstration_review, demonstration_submit
from apps.matters.services.dynamics import implementation_item_delegate

pytestmark = pytest.mark.django_db


@pytest.mark.spec("MAT-7.3")
def test_demonstration_item_two_reviews_no_national_report_no_delegation(published_item, people, orgs, regions):
    province_dept = OrganisationFactory(name="黑龙江省市场监督管理局", region=regions["230000000000"])
    demo_org = orgs["harbin_dept"]
    DemonstrationDepartment.objects.create(organisation=demo_org, business_line="市场监管", designated_by=province_dept)
    account = StaffFactory(username="scjg_review", organisation=province_dept)
    group = StaffFactory(username="review_group_1")
    DemonstrationReviewer.objects.create(user=account, business_line="市场监管", role="initial")
    DemonstrationReviewer.objects.create(user=group, business_line="市场监管", role="final")
    item = catalogue_item_claim(actor=people["harbin"], catalogue_item=published_item, implementing_body=demo_org)
    with pytest.raises(ValidationError, match="示范事项审核流程"):
        matter_submit(actor=people["harbin"], item=item)
    review = demonstration_submit(actor=people["harbin"], item=item)
    with pytest.raises(ValidationError, match="只有草稿或被驳回"):
        demonstration_submit(actor=people["harbin"], item=item)
    with pytest.raises(PermissionDenied):
        demonstration_review(actor=group, review=review, approve=True)          # final group cannot start
    demonstration_review(actor=account, review=review, approve=True, comment="初审通过")
    review.refresh_from_db()
    assert review.stage == "final"
    with pytest.raises(PermissionDenied):
        demonstration_review(actor=account, review=review, approve=True)
    before = OutboxMessage.objects.filter(peer="national_platform").count()
    demonstration_review(actor=group, review=review, approve=True, comment="终审通过")
    item.refresh_from_db()
    assert (item.status, item.version) == ("published", 1)
    assert OutboxMessage.objects.filter(peer="national_platform").count() == before      # not reported nationally
    assert item.versions.count() == 1
    county_body = orgs["daoli_dept"]
    with pytest.raises(ValidationError, match="不下放"):
        implementation_item_delegate(actor=people["harbin"], item=item, bodies=[county_body])
    # an ordinary department's item is reported as usual
    normal = catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item, implementing_body=county_body)
    assert not DemonstrationReview.objects.filter(implementation_item=normal).exists()
