"""Error correction (MAT-5.3) and inspection tags (MAT-5.4)."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.identity.models import Role
from apps.identity.tests.factories import StaffFactory
from apps.matters.models import CorrectionStatus, MatterNotification, MatterTag, NotificationKind, TaggedItem
from apps.matters.services.declaration import catalogue_item_claim, catalogue_item_declare
from apps.matters.services.optimisation import (
    correction_recheck, correction_register, correction_report, item_tags, tag_apply, tag_completion, tag_create,
    tag_delete, tag_grant, visible_tags,
)
from apps.matters.tests.factories import children, element_data, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspector(orgs):
    return grant(StaffFactory(username="inspector", organisation=orgs["harbin"]), "add_correctionrequest",
                 "view_catalogueitem", "view_implementationitem", "add_mattertag")


@pytest.fixture
def admin(orgs):
    user = grant(StaffFactory(username="sysadmin", organisation=orgs["province"]), "add_mattertag")
    role, _created = Role.objects.get_or_create(code="system_admin", defaults={"name": "系统管理员"})
    user.roles.add(role)
    user.__dict__.pop("_access_profile", None)
    return user


@pytest.mark.spec("MAT-5.3", "MAT-5.3.1", "MAT-5.3.2")
def test_correction_reaches_the_department_and_comes_back_for_recheck(published_item, people, orgs, inspector):
    implementation = catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item,
                                          implementing_body=orgs["daoli_dept"])
    with pytest.raises(ValidationError, match="描述"):
        correction_register(actor=inspector, item=implementation, tab="materials", description="")
    with pytest.raises(PermissionDenied):
        correction_register(actor=people["qiqihar"], item=implementation, tab="materials", description="x")
    correction = correction_register(actor=inspector, item=implementation, tab="materials",
                                     description="材料“营业执照”来源渠道填写错误", field="materials")
    assert not correction.upper_platform
    notice = MatterNotification.objects.get(kind=NotificationKind.CORRECTION)
    assert notice.recipient == orgs["daoli_dept"]
    name_problem = correction_register(actor=inspector, item=implementation, tab="elements", field="name",
                                       description="名称不规范")
    assert name_problem.upper_platform                               # must be changed on the upper platform
    with pytest.raises(PermissionDenied):
        correction_report(actor=people["qiqihar"], correction=correction, result="已改")
    with pytest.raises(ValidationError, match="尚未处理"):
        correction_recheck(actor=inspector, correction=correction, passed=True)
    correction_report(actor=people["daoli"], correction=correction, result="已更正为“市场监管部门核发”")
    assert correction.status == CorrectionStatus.FIXED
    with pytest.raises(PermissionDenied):
        correction_recheck(actor=people["daoli"], correction=correction, passed=True)
    with pytest.raises(ValidationError, match="说明原因"):
        correction_recheck(actor=inspector, correction=correction, passed=False)
    correction_recheck(actor=inspector, correction=correction, passed=True)
    assert correction.status == CorrectionStatus.CLOSED


@pytest.mark.spec("MAT-5.4.1")
def test_tag_delete_rules(inspector, admin, people):
    user_b = grant(people["harbin"], "add_mattertag")
    with pytest.raises(PermissionDenied):
        tag_create(actor=inspector, name="预留", reserved=True)
    reserved = tag_create(actor=admin, name="2026年度标准化检查", reserved=True)
    b_tag = tag_create(actor=user_b, name="材料精简", description="检查可精简的材料")
    tag_grant(actor=user_b, tag=b_tag, user=inspector)
    tag_grant(actor=admin, tag=reserved, user=inspector)
    own = tag_create(actor=inspector, name="我的标签")
    with pytest.raises(PermissionDenied, match="只能删除自己创建的标签"):
        tag_delete(actor=inspector, tag=b_tag)
    with pytest.raises(PermissionDenied, match="系统预留标签只能由系统管理员删除"):
        tag_delete(actor=inspector, tag=reserved)
    tag_delete(actor=admin, tag=reserved)
    tag_delete(actor=inspector, tag=own)
    assert list(MatterTag.objects.values_list("name", flat=True)) == ["材料精简"]


@pytest.mark.spec("MAT-5.4", "MAT-5.4.2", "MAT-5.4.3", "MAT-5.4.5")
def test_granted_tag_maintained_on_items_and_leader_view(people, orgs, inspector, admin):
    items = [catalogue_item_declare(actor=people["daoli"], department=orgs["daoli_dept"], submit=False,
                                    data=element_data(name=f"事项{i}"), children=children()) for i in range(4)]
    owner = grant(people["harbin"], "add_mattertag")
    tag = tag_create(actor=owner, name="一网通办专项检查")
    assert list(visible_tags(user=inspector)) == []
    tag_grant(actor=owner, tag=tag, user=inspector, can_maintain=True)
    watcher = StaffFactory(username="watcher", organisation=orgs["harbin"])
    tag_grant(actor=owner, tag=tag, user=watcher, can_maintain=False)
    with pytest.raises(PermissionDenied):
        tag_grant(actor=inspector, tag=tag, user=people["qiqihar"])       # grantee cannot re-grant
    assert list(visible_tags(user=inspector)) == [tag] and tag in visible_tags(user=admin)
    assert tag_apply(actor=inspector, tag=tag, items=items) == 4
    with pytest.raises(PermissionDenied):
        tag_apply(actor=watcher, tag=tag, items=items)
    assert [t.tag for t in item_tags(user=inspector, item=items[0])["maintainable"]] == [tag]
    assert [t.tag for t in item_tags(user=watcher, item=items[0])["readonly"]] == [tag]
    from apps.matters.services.optimisation import tag_mark

    for tagged in TaggedItem.objects.filter(tag=tag)[:3]:
        tag_mark(actor=inspector, tagged=tagged, done=True)
    with pytest.raises(PermissionDenied):
        tag_mark(actor=watcher, tagged=TaggedItem.objects.first(), done=False)
    assert tag_completion(tag=tag) == [{"department": "道里区市场监督管理局", "total": 4, "done": 3, "percent": 75}]


@pytest.mark.spec("MAT-5.3.1", "MAT-5.3.2", "MAT-5.4.3")
def test_correction_and_tags_through_the_item_page(client, published_item, people, orgs, inspector):
    from django.urls import reverse

    from apps.matters.selectors_dynamics import correction_inbox_items

    url = published_item.get_absolute_url()
    client.force_login(inspector)
    client.post(reverse("matters:catalogue-correction", args=[published_item.pk]),
                {"tab": "materials", "description": "材料来源填写错误"})
    assert [i.category for i in correction_inbox_items(user=people["harbin"])] == ["事项纠错待处理"]
    client.force_login(people["harbin"])
    html = client.get(url).content.decode()
    assert "材料来源填写错误" in html and "该问题在本平台修改" in html
    correction = published_item.corrections.get()
    client.post(reverse("matters:correction-action", args=[correction.pk]), {"action": "report", "result": "已更正"})
    assert [i.category for i in correction_inbox_items(user=inspector)] == ["事项纠错待复核"]
    tag = tag_create(actor=inspector, name="材料精简专项")
    tag_grant(actor=inspector, tag=tag, user=grant(people["harbin"], "add_mattertag"))
    tag_apply(actor=inspector, tag=tag, items=[published_item])
    html = client.get(url).content.decode()
    assert 'data-tag="材料精简专项"' in html and 'class="tag-float"' in html
    tagged = TaggedItem.objects.get()
    client.post(reverse("matters:tag-mark", args=[tagged.pk]), {"done": "1"})
    tagged.refresh_from_db()
    assert tagged.is_done
    leader = client.get(reverse("matters:tag-leader", args=[tag.pk])).content.decode()
    assert "<strong data-percent>100%</strong>" in leader
    client.force_login(people["qiqihar"])                       # not granted: cannot mark
    assert client.post(reverse("matters:tag-mark", args=[tagged.pk]), {"done": "0"}).status_code == 404


def test_tag_page_refuses_deleting_anothers_tag(client, people, inspector):
    from django.urls import reverse

    owner = grant(people["harbin"], "add_mattertag")
    tag = tag_create(actor=owner, name="他人标签")
    tag_grant(actor=owner, tag=tag, user=inspector)
    client.force_login(inspector)
    response = client.post(reverse("matters:tag-list"), {"action": "delete", "tag": tag.pk})
    assert response.status_code == 403 and MatterTag.objects.filter(pk=tag.pk).exists()
    assert "他人标签" in client.get(reverse("matters:tag-list")).content.decode()
