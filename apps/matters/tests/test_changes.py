"""Change routing (MAT-2.1.6), versions (MAT-2.1.3, 2.2.5, 2.2.9) and locked elements (MAT-2.2)."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.core.models import OutboxMessage
from apps.core.workflow import history_for
from apps.matters.models import ChangeRequest, ChangeRequestStatus, ChangeRoute, MatterVersion
from apps.matters.services.changes import matter_change_review, matter_change_submit
from apps.matters.services.declaration import catalogue_item_claim, matter_review, matter_submit
from apps.matters.services.versions import version_diff
from apps.matters.tests.factories import legal_affairs_user, materials

pytestmark = pytest.mark.django_db


@pytest.fixture
def legal(regions):
    return {"harbin": legal_affairs_user(regions["230100000000"], "harbin_fzb"),
            "province": legal_affairs_user(regions["230000000000"], "province_fzb"),
            "qiqihar": legal_affairs_user(regions["230200000000"], "qqhr_fzb")}


@pytest.mark.spec("MAT-2.1.6", "MAT-2.1.3")
def test_phone_and_location_changes_take_effect_at_once_as_a_new_version(published_item, people):
    change = matter_change_submit(actor=people["harbin"], item=published_item,
                                  proposed={"supervision_phone": "0451-12345678", "handling_location": "新址3楼"})
    published_item.refresh_from_db()
    assert change.route == ChangeRoute.IMMEDIATE and change.status == ChangeRequestStatus.APPROVED
    assert (published_item.version, published_item.supervision_phone) == (2, "0451-12345678")
    old, new = MatterVersion.objects.get(number=1), MatterVersion.objects.get(number=2)
    assert old.snapshot["supervision_phone"] == "0451-12345"          # never overwritten
    changed = {row.field for row in version_diff(old.snapshot, new.snapshot) if row.changed}
    assert changed == {"supervision_phone", "handling_location"}
    assert OutboxMessage.objects.filter(peer="national_platform", idempotency_key__endswith=":v2").exists()


@pytest.mark.spec("MAT-2.1.6")
def test_other_changes_climb_legal_affairs_offices_level_by_level(published_item, people, legal):
    new_materials = materials("营业执照", "食品经营许可申请书", "食品安全管理制度")
    change = matter_change_submit(actor=people["harbin"], item=published_item, proposed={"materials": new_materials},
                                  reason="增加材料")
    assert change.route == ChangeRoute.ESCALATED
    assert change.review_chain == ["230100000000", "230000000000"]
    published_item.refresh_from_db()
    assert published_item.version == 1                     # not in effect yet
    with pytest.raises(PermissionDenied):                  # the province waits for the city
        matter_change_review(actor=legal["province"], change=change, approve=True)
    with pytest.raises(PermissionDenied):
        matter_change_review(actor=legal["qiqihar"], change=change, approve=True)
    matter_change_review(actor=legal["harbin"], change=change, approve=True, comment="市级同意")
    change.refresh_from_db()
    assert (change.status, change.current_region_id) == (ChangeRequestStatus.PENDING_REVIEW, "230000000000")
    matter_change_review(actor=legal["province"], change=change, approve=True, comment="省级同意")
    change.refresh_from_db()
    published_item.refresh_from_db()
    assert change.status == ChangeRequestStatus.APPROVED
    assert published_item.version == 2
    assert [m.name for m in published_item.materials.all()][-1] == "食品安全管理制度"
    assert OutboxMessage.objects.filter(idempotency_key=f"matters:catalogue:{published_item.pk}:v2").exists()
    opinions = [t.comment for t in history_for(change)]
    assert "市级同意" in opinions and "省级同意" in opinions   # visible to the submitting department


@pytest.mark.spec("MAT-2.1.6")
def test_rejected_change_keeps_the_item_and_shows_the_opinion(published_item, people, legal):
    change = matter_change_submit(actor=people["harbin"], item=published_item, proposed={"name": "新名称"})
    with pytest.raises(ValidationError, match="驳回时必须填写审核意见"):
        matter_change_review(actor=legal["harbin"], change=change, approve=False)
    matter_change_review(actor=legal["harbin"], change=change, approve=False, comment="名称不规范")
    published_item.refresh_from_db()
    assert published_item.name == "食品经营许可" and published_item.version == 1
    assert history_for(change).last().comment == "名称不规范"


@pytest.mark.spec("MAT-2.1.6", "MAT-2.1.5")
def test_change_breaking_time_limit_rules_is_refused_and_nothing_written(published_item, people, legal):
    with pytest.raises(ValidationError, match="不得超过法定办结时限"):
        matter_change_submit(actor=people["harbin"], item=published_item,
                             proposed={"committed_limit_working_days": 30})
    with pytest.raises(ValidationError, match="没有任何修改"):
        matter_change_submit(actor=people["harbin"], item=published_item, proposed={"name": published_item.name})
    assert ChangeRequest.objects.count() == 0


@pytest.mark.spec("MAT-2.1.6")
def test_second_pending_change_is_refused(published_item, people, legal):
    matter_change_submit(actor=people["harbin"], item=published_item, proposed={"faq": "问：…"})
    with pytest.raises(ValidationError, match="已有待审核的变更申请"):
        matter_change_submit(actor=people["harbin"], item=published_item, proposed={"handling_hours": "全天"})
    assert ChangeRequest.objects.count() == 1


@pytest.mark.spec("MAT-2.2")
def test_synced_elements_are_locked_in_implementation_items_but_acceptance_conditions_are_not(
        published_item, people, orgs, legal):
    item = catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item,
                                implementing_body=orgs["daoli_dept"])
    matter_submit(actor=people["daoli"], item=item)
    matter_review(actor=people["harbin_establishment"], item=item, approve=True)
    item.refresh_from_db()
    with pytest.raises(ValidationError, match="事项名称 由目录清单同步，不能在实施清单中修改"):
        matter_change_submit(actor=people["daoli"], item=item, proposed={"name": "改名"})
    assert ChangeRequest.objects.count() == 0
    change = matter_change_submit(actor=people["daoli"], item=item,
                                  proposed={"acceptance_conditions": "新的受理条件"})
    assert change.route == ChangeRoute.ESCALATED


@pytest.mark.spec("MAT-2.2.9", "MAT-2.2.5")
def test_implementation_change_raises_the_version_by_one(published_item, people, orgs, legal, regions):
    daoli_legal = legal_affairs_user(regions["230102000000"], "daoli_fzb")
    item = catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item,
                                implementing_body=orgs["daoli_dept"])
    matter_submit(actor=people["daoli"], item=item)
    matter_review(actor=people["harbin_establishment"], item=item, approve=True)
    change = matter_change_submit(actor=people["daoli"], item=item, proposed={"handling_hours": "周一至周六"})
    assert change.review_chain == ["230102000000", "230100000000", "230000000000"]
    for reviewer in (daoli_legal, legal["harbin"], legal["province"]):
        matter_change_review(actor=reviewer, change=change, approve=True)
    item.refresh_from_db()
    assert item.version == 2 and item.handling_hours == "周一至周六"
    assert list(MatterVersion.objects.filter(implementation_item=item).values_list("number", flat=True)) == [2, 1]


@pytest.mark.spec("MAT-2.1.6")
def test_staff_without_change_permission_cannot_submit(published_item, orgs):
    from apps.identity.tests.factories import StaffFactory

    clerk = StaffFactory(username="noperm", organisation=orgs["harbin_dept"])
    with pytest.raises(PermissionDenied):
        matter_change_submit(actor=clerk, item=published_item, proposed={"supervision_phone": "1"})
    assert ChangeRequest.objects.count() == 0


@pytest.mark.spec("MAT-2.1.6")
def test_escalated_change_without_any_legal_affairs_office_is_refused(published_item, people):
    with pytest.raises(ValidationError, match="未找到审核该变更的法制办"):
        matter_change_submit(actor=people["harbin"], item=published_item, proposed={"faq": "问：…"})
    assert ChangeRequest.objects.count() == 0


@pytest.mark.spec("MAT-2.1.6")
def test_department_below_cannot_change_the_citys_item(published_item, people, legal):
    with pytest.raises(PermissionDenied):
        matter_change_submit(actor=people["daoli"], item=published_item, proposed={"supervision_phone": "1"})
    assert ChangeRequest.objects.count() == 0


@pytest.mark.spec("MAT-7.4")
def test_catalogue_change_syncs_basic_elements_but_never_acceptance_conditions(published_item, people, orgs, legal,
                                                                                regions):
    item = catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item,
                                implementing_body=orgs["daoli_dept"])
    matter_submit(actor=people["daoli"], item=item)
    matter_review(actor=people["harbin_establishment"], item=item, approve=True)
    daoli_legal = legal_affairs_user(regions["230102000000"], "daoli_fzb2")
    edit = matter_change_submit(actor=people["daoli"], item=item, proposed={"acceptance_conditions": "区级受理条件"})
    for office in (daoli_legal, legal["harbin"], legal["province"]):
        edit.refresh_from_db()
        if edit.status == ChangeRequestStatus.PENDING_REVIEW:
            matter_change_review(actor=office, change=edit, approve=True, comment="同意")
    item.refresh_from_db()
    assert item.acceptance_conditions == "区级受理条件" and item.version == 2
    change = matter_change_submit(actor=people["harbin"], item=published_item,
                                  proposed={"legal_basis": "《食品安全法》（2021修正）第三十五条",
                                            "acceptance_conditions": "目录层面的新受理条件"})
    matter_change_review(actor=legal["harbin"], change=change, approve=True, comment="同意")
    matter_change_review(actor=legal["province"], change=change, approve=True, comment="同意")
    item.refresh_from_db()
    assert item.legal_basis == "《食品安全法》（2021修正）第三十五条"          # basic element synced
    assert item.acceptance_conditions == "区级受理条件"                       # not re-synchronised (MAT-7.4)
    assert item.version == 3
    assert MatterVersion.objects.get(implementation_item=item, number=2).snapshot["legal_basis"] == \
        "《中华人民共和国食品安全法》第三十五条"                                  # old version kept
