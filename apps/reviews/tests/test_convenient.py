"""Convenient evaluation indicators (REV-23.2) and handled-item indicators (REV-23.2.2): the overall
star rating read as 好评/中评/差评, impression ratings (好/中/差) whose dimensions follow the object
and the channel, free text — chosen at evaluation time, stored with the evaluation, analysed."""
import pytest
from django.test import Client
from django.urls import reverse

from apps.reviews import convenient
from apps.reviews.models import Evaluation
from apps.reviews.services.statistics import aggregate_pending
from apps.reviews.tests.factories import call, handler, login, rate
from apps.reviews.tests.factories import client as make_client

pytestmark = pytest.mark.django_db
UPLOAD = "/api/v1/reviews/open/evaluations/"


@pytest.fixture
def person(citizen):
    citizen.real_name_level = 2
    citizen.save()
    return citizen


def offered(page: str) -> list[str]:
    block = page.split('data-testid="impressions"')[1].split("</fieldset>")[0]
    return [part.split("</span>")[0] for part in block.split("<span>")[1:]]


@pytest.mark.spec("REV-23.2")
def test_window_and_staff_qr_pages_offer_the_four_impressions_and_store_them(world, person):
    http = login(person)
    window_url = reverse("reviews-public:static-qr", args=["window", f"{world.hall.qr_token}.{world.window.window_number}"])
    page = http.get(window_url).content.decode()
    assert offered(page) == ["服务态度", "办事效率", "易懂程度", "专业程度"]
    assert http.post(window_url, {"level": "2", "impression_attitude": "好", "impression_professional": "中",
                                  "comment": "窗口人员讲解清楚"}).status_code == 302
    stored = Evaluation.objects.get()
    assert stored.indicators == ["服务态度:好", "专业程度:中"] and stored.comment == "窗口人员讲解清楚"
    assert convenient.TIER_LABELS[convenient.tier_of(stored.level)] == "好评"
    staff_url = reverse("reviews-public:static-qr", args=["staff", world.staff.qr_token])
    refused = http.post(staff_url, {"level": "3", "impression_attitude": "很好"})
    assert refused.status_code == 400 and "只能是好、中或差" in refused.content.decode()
    assert Evaluation.objects.count() == 1


@pytest.mark.spec("REV-23.2.2")
def test_handled_item_impressions_follow_the_channel(world, person):
    """Online (website) the national online set, at the hall pad the offline set."""
    http = login(person)
    case = world.case(applicant=person)
    url = reverse("reviews-public:evaluate-case", args=[case.case_number])
    assert offered(http.get(url).content.decode()) == ["办事效率", "办事指南精确度", "办事便捷度", "平台操作性"]
    assert http.post(url, {"level": "4", "tags": ["办理时间长"], "impression_efficiency": "差",
                           "impression_operability": "好"}).status_code == 302
    online = Evaluation.objects.get(case=case)
    assert online.indicators == ["办事效率:差", "平台操作性:好"] and convenient.tier_of(online.level) == "bad"
    device = handler(world.org, "pad_dev")
    pad = login(device)
    world.case(2)
    pad_url = reverse("reviews-public:pad", args=[world.window.pk])
    assert offered(pad.get(pad_url).content.decode()) == ["服务效率", "服务水平", "服务态度"]
    assert pad.post(pad_url, {"level": "3", "impression_service_level": "中"}).status_code == 302
    assert Evaluation.objects.get(channel="hall").indicators == ["服务水平:中"]


@pytest.mark.spec("REV-23.2", "REV-23.2.2")
def test_open_interface_publishes_impression_sets_and_refuses_foreign_dimensions(world, staff):
    app, secret = make_client(world.org, staff["province"])  # a hall system: offline channel
    http = Client()
    fetched = call(http, app, secret, "GET", "/api/v1/reviews/open/indicators/").json()
    sets = {i["channel"]: i["dimensions"] for i in fetched["impressions"] if i["object_kind"] == "case"}
    assert {i["object_kind"] for i in fetched["impressions"]} >= {"case", "window", "staff", "service_guide"}
    assert sets["hall"] == ["服务效率", "服务水平", "服务态度"]
    assert sets["pc"] == ["办事效率", "办事指南精确度", "办事便捷度", "平台操作性"]
    case = world.case()
    row = {"external_id": "IMP-1", "object_kind": "case", "level": 2, "case_number": case.case_number}
    wrong = call(http, app, secret, "POST", UPLOAD, {"evaluations": [{**row, "indicators": ["平台操作性:好"]}]})
    assert wrong.status_code == 400 and "不是该渠道" in wrong.content.decode()
    twice = call(http, app, secret, "POST", UPLOAD,
                 {"evaluations": [{**row, "indicators": ["服务效率:好", "服务效率:差"]}]})
    assert twice.status_code == 400 and Evaluation.objects.count() == 0
    ok = call(http, app, secret, "POST", UPLOAD, {"evaluations": [{**row, "indicators": ["服务效率:好"]}]})
    assert ok.status_code == 201 and Evaluation.objects.get().indicators == ["服务效率:好"]


@pytest.mark.spec("REV-23.2", "REV-23.11")
def test_impression_analysis_shows_tiers_dimensions_and_weakest_staff(world, orgs, staff, citizen):
    from apps.acceptance.models import HallStaff

    other = HallStaff.objects.create(hall=world.hall, staff_number="S900", name="王五", department=world.org)
    rate("staff", world.staff, 1, channel="qr", indicators=["服务态度:好", "办事效率:好"])
    rate("staff", world.staff, 2, channel="qr", indicators=["服务态度:好", "专业程度:中"])
    rate("staff", other, 4, channel="qr", indicators=["服务态度:差", "办事效率:差"])
    rate("staff", other, 3, channel="qr", indicators=["服务态度:中"])
    aggregate_pending()
    url = reverse("reviews:analysis-impressions")
    page = login(handler(orgs["harbin"], "imp_viewer")).get(url, {"kind": "staff"}).content.decode()
    tiers = page.split('data-testid="tiers"')[1].split("</div></div>")[0]
    assert "<strong>2</strong> 好评" in tiers and "<strong>1</strong> 中评" in tiers and "<strong>1</strong> 差评" in tiers
    dims = page.split('data-testid="impression-dimensions"')[1].split("</table>")[0]
    assert "<td>服务态度</td><td>2</td><td>1</td><td>1</td><td>50.0</td>" in dims
    targets = page.split('data-testid="impression-targets"')[1].split("</table>")[0]
    assert targets.index("王五") < targets.index("李四")  # weakest first: the one to talk to
    # scope and permission: another city's bureau sees none of it; no permission → 403
    outsider = login(handler(orgs["qiqihar"], "imp_outsider")).get(url, {"kind": "staff"}).content.decode()
    assert "王五" not in outsider and "暂无印象评价" in outsider
    assert Client().get(url).status_code == 302
    assert login(citizen).get(url).status_code == 403
    assert login(staff["harbin"]).get(url).status_code == 403


@pytest.mark.spec("REV-23.2", "REV-23.11")
def test_impression_analysis_reads_the_incremental_rollup_in_constant_queries(world, orgs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.reviews import analysis
    from apps.reviews.models import ImpressionAggregate
    from apps.reviews.rankings import RankingFilter
    from apps.reviews.services.statistics import aggregate_adjust_invalid

    first = rate("window", world.window, 1, channel="qr", indicators=["服务态度:好", "办事效率:中"])
    aggregate_pending()
    row = ImpressionAggregate.objects.get(dimension="服务态度", value="好")
    assert (row.object_kind, row.target_id, row.count) == ("window", world.window.pk, 1)
    filt = RankingFilter(region_code=orgs["harbin"].region_id)

    def analyse():
        with CaptureQueriesContext(connection) as queries:
            data = analysis.impressions(filt, user=None, object_kind="window")
        return data, queries

    data, few = analyse()
    assert {d["name"]: d["good"] for d in data["dimensions"]}["服务态度"] == 1
    for n in range(6):  # more evaluations: added to the same rows by the incremental refresh
        rate("window", world.window, 4, channel="qr", indicators=["服务态度:差"])
    assert aggregate_pending() == 6
    row.refresh_from_db()
    assert row.count == 1 and ImpressionAggregate.objects.get(dimension="服务态度", value="差").count == 6
    data, more = analyse()
    assert len(more) == len(few) <= 4, [q["sql"] for q in more.captured_queries]
    assert not [q for q in more.captured_queries if '"reviews_evaluation"' in q["sql"]]  # never the raw rows
    attitude = {d["name"]: d for d in data["dimensions"]}["服务态度"]
    assert (attitude["good"], attitude["bad"], attitude["good_rate"]) == (1, 6, 14.3)
    assert data["targets"][0]["name"] == world.window.name and data["targets"][0]["bad"] == 6
    aggregate_adjust_invalid(evaluation=first)  # an upheld appeal: its impressions leave the analysis
    attitude = {d["name"]: d for d in analyse()[0]["dimensions"]}["服务态度"]
    assert (attitude["good"], attitude["bad"]) == (0, 6)
