"""Suspension (MAT-2.1.7, 2.2.10), delegation (2.1.8, 2.2.11, 2.4.x), linked notifications (2.5)."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.core.models import OrganisationKind
from apps.core.tests.factories import OrganisationFactory
from apps.identity.tests.factories import StaffFactory
from apps.matters.models import (
    CatalogueItem, Delegation, DelegationBatch, ImplementationItem, MatterNotification, MatterStatus,
    NotificationKind, SuspensionRequest,
)
from apps.matters.selectors_dynamics import catalogue_library, delegation_statistics
from apps.matters.services.declaration import catalogue_item_claim, matter_review, matter_submit
from apps.matters.services.dynamics import (
    catalogue_item_cancel, catalogue_item_delegate, delegable_levels, delegation_batch_aggregate,
    delegation_batch_publish, implementation_item_delegate, matter_suspension_review, matter_suspension_submit,
)
from apps.matters.tests.factories import establishment_user, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def claimed(published_item, people, orgs):
    """Daoli claims the Harbin catalogue item and gets it published."""
    item = catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item, implementing_body=orgs["daoli_dept"])
    matter_submit(actor=people["daoli"], item=item)
    matter_review(actor=people["harbin_establishment"], item=item, approve=True, comment="同意")
    item.refresh_from_db()
    return item


@pytest.fixture
def harbin_bureau_user(orgs):
    return grant(StaffFactory(username="harbin_bureau", organisation=orgs["harbin"]), "add_delegationbatch",
                 "view_delegationbatch", "view_delegation", "view_catalogueitem")


@pytest.mark.spec("MAT-2.1.7")
def test_catalogue_suspension_takes_effect_after_review(published_item, claimed, people, regions, orgs):
    with pytest.raises(ValidationError, match="暂停理由"):
        matter_suspension_submit(actor=people["harbin"], item=published_item, reason=" ")
    with pytest.raises(PermissionDenied):
        matter_suspension_submit(actor=people["qiqihar"], item=published_item, reason="调整")
    request = matter_suspension_submit(actor=people["harbin"], item=published_item, reason="法规修订，暂停受理")
    with pytest.raises(ValidationError, match="已有待审核"):
        matter_suspension_submit(actor=people["harbin"], item=published_item, reason="再次")
    published_item.refresh_from_db()
    assert published_item.status == MatterStatus.PUBLISHED            # not before review
    other = establishment_user(regions["230200000000"], "qqhr_bianban")
    with pytest.raises(PermissionDenied):
        matter_suspension_review(actor=other, request=request, approve=True)
    matter_suspension_review(actor=people["harbin_establishment"], request=request, approve=True, comment="同意暂停")
    published_item.refresh_from_db()
    assert published_item.status == MatterStatus.SUSPENDED
    assert MatterNotification.objects.filter(recipient=orgs["daoli_dept"], kind=NotificationKind.SUSPENDED).exists()


@pytest.mark.spec("MAT-2.2.10")
def test_implementation_suspension_rejected_keeps_item_in_use(claimed, people):
    request = matter_suspension_submit(actor=people["daoli"], item=claimed, reason="窗口装修")
    with pytest.raises(ValidationError, match="驳回时必须填写审核意见"):
        matter_suspension_review(actor=people["harbin_establishment"], request=request, approve=False)
    matter_suspension_review(actor=people["harbin_establishment"], request=request, approve=False, comment="不予暂停")
    claimed.refresh_from_db()
    request.refresh_from_db()
    assert claimed.status == MatterStatus.PUBLISHED and request.opinion == "不予暂停"
    request = matter_suspension_submit(actor=people["daoli"], item=claimed, reason="窗口装修两周")
    matter_suspension_review(actor=people["harbin_establishment"], request=request, approve=True)
    claimed.refresh_from_db()
    assert claimed.status == MatterStatus.SUSPENDED


@pytest.mark.spec("MAT-2.1.8", "MAT-2.4.1")
def test_delegation_only_downward_and_item_enters_county_library(published_item, people, regions):
    daoli = regions["230102000000"]
    assert published_item not in catalogue_library(region=daoli)
    assert [value for value, _label in delegable_levels(published_item)] == ["4", "5", "6"]
    for above in (["2"], ["3"], ["4", "2"]):
        with pytest.raises(ValidationError, match="只能下放到本级以下的层级"):
            catalogue_item_delegate(actor=people["harbin"], item=published_item, levels=above)
    assert not Delegation.objects.exists()
    published_item.refresh_from_db()
    assert published_item.exercise_levels == ["3"]                     # nothing written
    with pytest.raises(PermissionDenied):
        catalogue_item_delegate(actor=people["qiqihar"], item=published_item, levels=["4"])
    catalogue_item_delegate(actor=people["harbin"], item=published_item, levels=["4"], note="简政放权")
    assert published_item in catalogue_library(region=daoli)
    delegation = Delegation.objects.get()
    assert (delegation.from_level, delegation.to_levels, delegation.department) == ("3", ["4"], published_item.department)
    assert delegation.batch_status == "未发布"


@pytest.mark.spec("MAT-2.2.11")
def test_implementation_delegation_enters_lower_body_list(published_item, people, orgs, regions):
    harbin_item = catalogue_item_claim(actor=people["harbin"], catalogue_item=published_item,
                                       implementing_body=orgs["harbin_dept"])
    matter_submit(actor=people["harbin"], item=harbin_item)
    matter_review(actor=people["harbin_establishment"], item=harbin_item, approve=True)
    harbin_item.refresh_from_db()
    qiqihar_county = OrganisationFactory(name="龙沙区市场监督管理局", region=regions["230202000000"])
    for wrong in (qiqihar_county, orgs["harbin"]):
        with pytest.raises(ValidationError, match="不是本级以下的单位"):
            implementation_item_delegate(actor=people["harbin"], item=harbin_item, bodies=[wrong])
    assert ImplementationItem.objects.count() == 1
    implementation_item_delegate(actor=people["harbin"], item=harbin_item, bodies=[orgs["daoli_dept"]])
    copy = ImplementationItem.objects.get(implementing_body=orgs["daoli_dept"])
    assert copy.status == MatterStatus.DRAFT and copy.basic_code == published_item.basic_code
    assert copy.implementation_code != harbin_item.implementation_code and copy.exercise_level == "4"
    assert copy.materials.count() == harbin_item.materials.count()
    assert MatterNotification.objects.filter(recipient=orgs["daoli_dept"], kind=NotificationKind.DELEGATED).exists()


@pytest.mark.spec("MAT-2.4", "MAT-2.4.2", "MAT-2.4.3", "MAT-2.4.4", "MAT-2.5")
def test_batch_aggregates_publishes_and_tracks(published_item, people, orgs, harbin_bureau_user, regions):
    province_dept = OrganisationFactory(name="黑龙江省市场监督管理局", region=regions["230000000000"])
    orgs["harbin_dept"].parent = province_dept
    orgs["harbin_dept"].tree_path = f"{province_dept.tree_path}{orgs['harbin_dept'].pk}/"
    orgs["harbin_dept"].save()
    catalogue_item_delegate(actor=people["harbin"], item=published_item, levels=["4"])
    with pytest.raises(PermissionDenied):
        delegation_batch_aggregate(actor=people["harbin"])            # a department is not the 营商局
    batch = delegation_batch_aggregate(actor=harbin_bureau_user)
    assert list(batch.delegations.values_list("catalogue_item", flat=True)) == [published_item.pk]
    with pytest.raises(ValidationError, match="没有尚未关联批次"):
        delegation_batch_aggregate(actor=harbin_bureau_user)
    with pytest.raises(ValidationError, match="公告标题"):
        delegation_batch_publish(actor=harbin_bureau_user, batch=batch, title="")
    delegation_batch_publish(actor=harbin_bureau_user, batch=batch, title="2026年11月份第一批事项下放公告")
    year = timezone.localtime().year
    assert Delegation.objects.get().batch_status == f"{year}年第1次下放"
    assert MatterNotification.objects.filter(recipient=province_dept, kind=NotificationKind.BATCH).exists()
    catalogue_item_delegate(actor=people["harbin"], item=published_item, levels=["5"])
    second = delegation_batch_aggregate(actor=harbin_bureau_user)
    assert second.pk != batch.pk
    delegation_batch_publish(actor=harbin_bureau_user, batch=second, title="第二批")
    assert DelegationBatch.objects.get(pk=second.pk).label == f"{year}年第2次下放"
    stats = delegation_statistics(user=harbin_bureau_user, date_from=timezone.localdate())
    assert stats["total"] == 2 and stats["by_department"] == [("哈尔滨市市场监督管理局", 2)]
    assert dict(stats["by_level"]) == {"县级": 1, "镇（乡、街道）级": 1}
    assert delegation_statistics(user=harbin_bureau_user, date_to=timezone.localdate() - timezone.timedelta(days=1)
                                 )["total"] == 0


@pytest.mark.spec("MAT-2.5")
def test_cancelling_or_changing_a_catalogue_item_notifies_every_implementer(published_item, claimed, people, orgs):
    from apps.matters.services.changes import matter_change_submit

    matter_change_submit(actor=people["harbin"], item=published_item, proposed={"consultation_phone": "0451-1"})
    assert MatterNotification.objects.filter(recipient=orgs["daoli_dept"], kind=NotificationKind.CHANGED).count() == 1
    with pytest.raises(ValidationError, match="注销理由"):
        catalogue_item_cancel(actor=people["harbin"], item=published_item, reason="")
    catalogue_item_cancel(actor=people["harbin"], item=published_item, reason="国务院决定取消")
    assert CatalogueItem.objects.get(pk=published_item.pk).status == MatterStatus.CANCELLED
    notice = MatterNotification.objects.get(recipient=orgs["daoli_dept"], kind=NotificationKind.CANCELLED)
    assert "食品经营许可" in notice.title and notice.body == "国务院决定取消"
    assert not MatterNotification.objects.filter(recipient=orgs["harbin_dept"]).exists()   # holds no implementation
    assert SuspensionRequest.objects.count() == 0
