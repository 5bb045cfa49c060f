"""Change monitoring and thematic comparison (MAT-5.5), optimisation analysis (MAT-5.2), correction from a
tag (MAT-5.4.4)."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.acceptance.tests.factories import clerk, concluded_case
from apps.core.models import OrganisationKind
from apps.core.tests.factories import OrganisationFactory
from apps.identity.tests.factories import StaffFactory
from apps.matters.models import CorrectionRequest, OptimisationProposal
from apps.matters.selectors_monitoring import change_monitoring, thematic_comparison
from apps.matters.services.analysis import (
    optimisation_analysis, optimisation_report, proposal_decide, proposal_issue, proposal_report,
)
from apps.matters.services.changes import matter_change_submit
from apps.matters.services.declaration import catalogue_item_claim, catalogue_item_declare, matter_review
from apps.matters.services.dynamics import catalogue_item_cancel
from apps.matters.services.optimisation import correction_register, tag_apply, tag_create, tag_grant
from apps.matters.tests.factories import children, element_data, grant

pytestmark = pytest.mark.django_db


def _publish(people, orgs, name, **extra):
    item = catalogue_item_declare(actor=people["harbin"], department=orgs["harbin_dept"],
                                  data=element_data(name=name, **extra), children=children())
    matter_review(actor=people["harbin_establishment"], item=item, approve=True)
    item.refresh_from_db()
    return item


@pytest.mark.spec("MAT-5.5", "MAT-5.5.1")
def test_monitoring_counts_added_modified_deleted_with_names_and_compare_link(people, orgs, client):
    first, second = _publish(people, orgs, "食品经营许可"), _publish(people, orgs, "食品生产许可")
    matter_change_submit(actor=people["harbin"], item=first, proposed={"supervision_phone": "0451-99999"})
    catalogue_item_cancel(actor=people["harbin"], item=second, reason="法律修订取消")
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as queries:
        result = change_monitoring(user=people["harbin"], start=today, end=today)
    assert len(queries) <= 6
    assert result["overall"] == {"added": 2, "modified": 1, "deleted": 1}
    (row,) = result["departments"]
    assert row["department"] == "哈尔滨市市场监督管理局" and (row["added"], row["modified"], row["deleted"]) == (2, 1, 1)
    modified = [i for i in row["items"] if i["change"] == "modified"]
    assert modified[0]["name"] == "食品经营许可" and modified[0]["compare_url"].endswith("?a=1&b=2")
    assert {i["name"] for i in row["items"] if i["change"] == "deleted"} == {"食品生产许可"}
    # another city sees nothing of Harbin's changes
    assert change_monitoring(user=people["qiqihar"], start=today, end=today)["overall"] == {
        "added": 0, "modified": 0, "deleted": 0}
    client.force_login(people["harbin"])
    page = client.get(reverse("matters:monitoring"))
    assert page.status_code == 200 and 'data-overall="modified">1<' in page.content.decode()
    assert modified[0]["compare_url"] in page.content.decode().replace("&amp;", "&")
    client.force_login(StaffFactory(username="nobody"))
    assert client.get(reverse("matters:monitoring")).status_code == 403
    client.logout()
    assert client.get(reverse("matters:monitoring")).status_code == 302


@pytest.mark.spec("MAT-5.5.2")
def test_thematic_comparison_sums_fewer_submissions_trips_and_days(published_item, people, client):
    matter_change_submit(actor=people["harbin"], item=published_item,
                         proposed={"handling_location": "新址"})
    published_item.refresh_from_db()
    today = timezone.localdate()
    result = thematic_comparison(user=people["harbin"], start=today, end=today)
    (row,) = result["rows"]
    assert (row["first"], row["last"]) == (1, 2) and result["totals"]["fewer_submissions"] == 0

def test_theme_row_counts_each_theme():
    from apps.matters.selectors_monitoring import _theme_row

    old = {"materials": [{"is_required": True}] * 3, "handling_form": "window", "committed_limit_working_days": 10}
    new = {"materials": [{"is_required": True}, {"is_required": False}], "handling_form": "online",
           "committed_limit_working_days": 7}
    assert _theme_row(old, new) == {"fewer_submissions": 1, "fewer_forms": 1, "fewer_trips": 1, "days_cut": 3}


@pytest.fixture
def bureau(regions):
    office = OrganisationFactory(name="黑龙江省营商环境建设监督局", region=regions["230000000000"],
                                 kind=OrganisationKind.BUSINESS_ENVIRONMENT_BUREAU)
    return grant(StaffFactory(username="yingshang", organisation=office), "add_optimisationproposal",
                 "view_optimisationproposal", "view_implementationitem")


@pytest.fixture
def claimed(published_item, people, orgs):
    return catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item, implementing_body=orgs["daoli_dept"])


@pytest.mark.spec("MAT-5.2", "MAT-5.2.2", "MAT-5.2.3", "MAT-5.2.4")
def test_four_proposals_three_agreed_one_unanswered_gives_75_percent(bureau, claimed, people, client):
    proposals = [proposal_issue(actor=bureau, item=claimed, direction="fewer_trips", problem=f"问题{n}",
                                measure=f"措施{n}") for n in range(4)]
    with pytest.raises(ValidationError, match="优化方向"):
        proposal_issue(actor=bureau, item=claimed, direction="x", problem="p", measure="m")
    with pytest.raises(PermissionDenied):
        proposal_issue(actor=people["daoli"], item=claimed, direction="nearer", problem="p", measure="m")
    assert OptimisationProposal.objects.count() == 4
    with pytest.raises(PermissionDenied):
        proposal_decide(actor=people["harbin"], proposal=proposals[0], agree=True)
    with pytest.raises(ValidationError, match="不同意时请说明理由"):
        proposal_decide(actor=people["daoli"], proposal=proposals[0], agree=False)
    for proposal in proposals[:3]:
        proposal_decide(actor=people["daoli"], proposal=proposal, agree=True, comment="同意")
    proposal_report(actor=people["daoli"], proposal=proposals[0], result="网上申报已开通")
    report = optimisation_report(user=bureau)
    assert report["total"] == {"issued": 4, "responded": 3, "agreed": 3, "disagreed": 0, "implemented": 1,
                               "response_rate": 75.0}
    assert report["paths"] == {"少跑": 1}
    client.force_login(people["daoli"])
    assert client.get(reverse("matters:optimisation")).status_code == 403
    client.force_login(bureau)
    page = client.get(reverse("matters:optimisation")).content.decode()
    assert "答复率 75.0%" in page
    response = client.post(reverse("matters:optimisation"), {"item": "abc", "direction": "nearer", "problem": "p",
                                                             "measure": "m"})
    assert response.status_code == 404 and OptimisationProposal.objects.count() == 4


@pytest.mark.spec("MAT-5.2.1")
def test_analysis_compares_cities_on_items_and_cases(bureau, claimed, people, orgs, regions):
    from apps.matters.services.declaration import matter_submit

    qiqihar_body = people["qiqihar"].organisation
    other = catalogue_item_claim(actor=people["qiqihar"], catalogue_item=claimed.catalogue_item,
                                 implementing_body=qiqihar_body)
    for item in (claimed, other):
        matter_submit(actor=people["daoli" if item is claimed else "qiqihar"], item=item)
    from apps.matters.tests.factories import establishment_user
    matter_review(actor=people["harbin_establishment"], item=claimed, approve=True)
    matter_review(actor=establishment_user(regions["230200000000"], "qq_bb"), item=other, approve=True)
    other.handling_form = "window"
    other.save(update_fields=["handling_form"])
    concluded_case(claimed.__class__.objects.get(pk=claimed.pk), clerk(orgs["daoli_dept"]), 1, channel="pc")
    with CaptureQueriesContext(connection) as queries:
        result = optimisation_analysis(user=bureau, region=regions["230000000000"])
    assert len(queries) <= 5
    rows = {r["region"].name: r for r in result["rows"]}
    harbin, qiqihar = rows["哈尔滨市"], rows["齐齐哈尔市"]
    assert (harbin["items"], harbin["cases"], harbin["online_rate"], harbin["online_case_rate"]) == (1, 1, 100.0, 100.0)
    assert (qiqihar["items"], qiqihar["online_rate"]) == (1, 0.0)
    assert "少跑" in qiqihar["directions"] and "少跑" not in harbin["directions"]


@pytest.mark.spec("MAT-5.4.4")
def test_tag_handler_starts_a_correction_from_the_tagged_item(published_item, people, client):
    admin = grant(StaffFactory(username="centre"), "add_mattertag")
    tag = tag_create(actor=admin, name="材料规范检查")
    tag_grant(actor=admin, tag=tag, user=people["harbin"], can_maintain=True)
    outsider = people["qiqihar"]
    with pytest.raises(PermissionDenied):
        correction_register(actor=people["harbin"], item=published_item, tab="materials", description="材料名称不规范")
    tag_apply(actor=admin, tag=tag, items=[published_item])
    client.force_login(people["harbin"])
    page = client.get(published_item.get_absolute_url()).content.decode()
    assert 'id="register-correction" data-from-tag' in page and "登记纠错" in page
    response = client.post(reverse("matters:catalogue-correction", args=[published_item.pk]),
                           {"tab": "materials", "description": "“其他材料”应细化"})
    assert response.status_code == 302
    correction = CorrectionRequest.objects.get()
    assert correction.reported_by == people["harbin"] and correction.tab == "materials"
    with pytest.raises(PermissionDenied):
        correction_register(actor=outsider, item=published_item, tab="materials", description="x")
    assert CorrectionRequest.objects.count() == 1
