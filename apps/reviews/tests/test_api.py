"""Open interfaces with HMAC, whitelist and monitoring; the app API; the hotline callback;
sensitive words (REV-3.x, 7.1, 8.x, 17.x, 19.x, 23.11.6)."""
import json

import pytest
from django.test import Client

from apps.reviews.models import ClientAccessLog, Evaluation, HotlineWorkOrder, OpenInterface, SensitiveWord
from apps.reviews.services.clients import clients_changed
from apps.reviews.tests.factories import client as make_client
from apps.reviews.tests.factories import call, evaluate, grant

pytestmark = pytest.mark.django_db
UPLOAD = "/api/v1/reviews/open/evaluations/"


@pytest.fixture
def integrator(world, staff):
    return make_client(world.org, staff["province"])


@pytest.mark.spec("REV-3.1", "REV-3.2", "REV-3.3", "REV-7.1", "REV-16.7", "REV-23.1", "REV-23.1.2")
def test_upload_accepted_then_refusals_write_nothing(world, integrator):
    app, secret = integrator
    http = Client()
    case = world.case()
    item = {"external_id": "H-1", "object_kind": "case", "level": 1, "case_number": case.case_number,
            "comment": "服务很好"}
    response = call(http, app, secret, "POST", UPLOAD, {"evaluations": [item]})
    assert response.status_code == 201, response.content
    assert Evaluation.objects.get().channel == "hall"
    count = Evaluation.objects.count()
    other = world.case(2)
    fresh = {**item, "external_id": "H-2", "case_number": other.case_number}
    refused = {
        "wrong signature": call(http, app, "wrong-secret", "POST", UPLOAD, {"evaluations": [fresh]}),
        "ip off whitelist": call(http, app, secret, "POST", UPLOAD, {"evaluations": [fresh]}, ip="10.9.9.9"),
        "unknown key": call(http, app, secret, "POST", UPLOAD, {"evaluations": [fresh]}, key="RCNOPE"),
        "duplicate case": call(http, app, secret, "POST", UPLOAD, {"evaluations": [{**item, "external_id": "H-3"}]}),
        "level 6": call(http, app, secret, "POST", UPLOAD, {"evaluations": [{**fresh, "level": 6}]}),
    }
    messages = {k: r.json()["message"] + json.dumps(r.json().get("errors"), ensure_ascii=False)
                for k, r in refused.items()}
    assert refused["wrong signature"].status_code == 403 and "签名" in messages["wrong signature"]
    assert refused["ip off whitelist"].status_code == 403 and "白名单" in messages["ip off whitelist"]
    assert refused["unknown key"].status_code == 403 and "授权码" in messages["unknown key"]
    assert refused["duplicate case"].status_code == 400 and "不能重复评价" in messages["duplicate case"]
    assert refused["level 6"].status_code == 400 and "1–5" in messages["level 6"]
    assert Evaluation.objects.count() == count
    logs = ClientAccessLog.objects.filter(client=app)
    assert logs.filter(accepted=True).count() == 1 and logs.filter(accepted=False).count() == 2
    app.is_enabled = False
    app.save()
    clients_changed()  # what the admin does on save (decision 0609)
    assert "停用" in call(http, app, secret, "POST", UPLOAD, {"evaluations": [fresh]}).json()["message"]
    assert Evaluation.objects.count() == count


@pytest.mark.spec("REV-2.2", "REV-2.1", "REV-2.3", "REV-2.5", "REV-15.2")
def test_indicator_fetch_follows_enable_switch_and_interface_switch(world, integrator):
    from apps.reviews.models import EvaluationIndicator

    app, secret = integrator
    http = Client()
    path = "/api/v1/reviews/open/indicators/?object_kind=case"
    names = lambda r: {i["name"] for i in r.json()["indicators"]}  # noqa: E731
    national = EvaluationIndicator.objects.filter(object_kind="case", source="national").first()
    first = call(http, app, secret, "GET", "/api/v1/reviews/open/indicators/")
    assert first.status_code == 200
    assert len([i for i in first.json()["indicators"] if i["object_kind"] == "matter"]) == 20  # 5 × 4
    assert {i["aspect"] for i in first.json()["indicators"] if i["object_kind"] == "hall"} == {
        "infrastructure", "quality", "operation", "innovation"}
    national.is_enabled = False
    national.save()
    EvaluationIndicator.objects.create(object_kind="case", level=1, name="省级新增：帮办代办")
    response = Client().get(path)  # unsigned → refused
    assert response.status_code == 403
    signed = call(http, app, secret, "GET", "/api/v1/reviews/open/indicators/")
    got = {i["name"] for i in signed.json()["indicators"] if i["object_kind"] == "case" and i["level"] == national.level}
    assert national.name not in got and "省级新增：帮办代办" in {i["name"] for i in signed.json()["indicators"]}
    OpenInterface.objects.filter(category="indicator_fetch").update(is_enabled=False)
    clients_changed()  # what the admin does on save (decision 0609)
    assert "停用" in call(http, app, secret, "GET", "/api/v1/reviews/open/indicators/").json()["message"]
    assert names


@pytest.mark.spec("REV-8.1", "REV-3.1")
def test_download_and_feedback(world, integrator):
    app, secret = integrator
    http = Client()
    case = world.case()
    body = {"evaluations": [{"external_id": "X1", "object_kind": "case", "level": 2, "case_number": case.case_number}]}
    number = call(http, app, secret, "POST", UPLOAD, body).json()["evaluation_numbers"][0]
    rows = call(http, app, secret, "GET", "/api/v1/reviews/open/evaluations/download/").json()
    assert [r["evaluation_number"] for r in rows] == [number]
    assert "evaluator" not in rows[0] and "evaluator_name" not in rows[0]
    response = call(http, app, secret, "POST", "/api/v1/reviews/open/feedback/",
                    {"evaluation_number": number, "feedback": "已回复办事人"})
    assert response.status_code == 200 and Evaluation.objects.get().feedback == "已回复办事人"


@pytest.mark.spec("REV-19.1", "REV-19.2", "REV-19.3", "REV-23.12")
def test_hotline_evaluation_work_order_push_and_verification(world, staff, hotline_sim, no_backoff):
    from apps.core.models import OutboxMessage
    from apps.core.outbox import deliver

    app, secret = make_client(world.org, staff["province"], channel="hotline")
    http = Client()
    e = evaluate(world.case(), level=5, comment="电话一直打不通")
    order = HotlineWorkOrder.objects.get(evaluation=e)
    assert deliver(OutboxMessage.objects.get(peer="reviews_hotline").pk) == "delivered"
    pushed = hotline_sim.listing()["orders"][0]
    assert pushed["stars"] == 1 and pushed["department"] == world.org.name and pushed["matter"] == world.item.name
    path = f"/api/v1/reviews/hotline/work-orders/{order.order_number}/verification/"
    response = call(http, app, secret, "POST", path, {"result": "已回访，情况属实"})
    assert response.status_code == 200
    e.refresh_from_db()
    order.refresh_from_db()
    assert e.hotline_status == "已回访，情况属实" and order.status == "verified"
    # a keypad (受理评价) rating through the hotline needs no tags
    body = {"evaluations": [{"external_id": "CALL-1", "object_kind": "case", "level": 4,
                             "case_number": world.case(2).case_number}]}
    assert call(http, app, secret, "POST", UPLOAD, body).status_code == 201


@pytest.mark.spec("REV-17.1", "REV-17.2.5")
def test_app_evaluates_own_case_and_lists_it(world, citizen):
    http = Client()
    case = world.case(applicant=citizen)
    http.force_login(citizen)
    response = http.post("/api/v1/reviews/mine/", {"case_number": case.case_number, "level": 4, "tags": []},
                         content_type="application/json")
    assert response.status_code == 400 and "标签" in json.dumps(response.json(), ensure_ascii=False)
    response = http.post("/api/v1/reviews/mine/", {"case_number": case.case_number, "level": 1},
                         content_type="application/json")
    assert response.status_code == 201
    assert [r["channel"] for r in http.get("/api/v1/reviews/mine/").json()["results"]] == ["app"]
    second = http.post("/api/v1/reviews/mine/", {"case_number": case.case_number, "level": 2},
                       content_type="application/json")
    assert second.status_code == 400 and Evaluation.objects.count() == 1
    assert Client().get("/api/v1/reviews/mine/").status_code in (401, 403)


@pytest.mark.spec("REV-23.11.6")
def test_sensitive_words_api_for_permitted_staff_only(staff):
    http = Client()
    http.force_login(staff["province"])
    assert http.post("/api/v1/reviews/sensitive-words/", {"word": "骗子"}).status_code == 403
    grant(staff["province"], "add_sensitiveword", "view_sensitiveword", "change_sensitiveword",
          "delete_sensitiveword")
    response = http.post("/api/v1/reviews/sensitive-words/", {"word": "骗子"})
    assert response.status_code == 201
    pk = response.json()["id"]
    assert http.patch(f"/api/v1/reviews/sensitive-words/{pk}/", {"word": "骗人"},
                      content_type="application/json").status_code == 200
    assert list(SensitiveWord.objects.values_list("word", flat=True)) == ["骗人"]
    assert http.delete(f"/api/v1/reviews/sensitive-words/{pk}/").status_code == 204


@pytest.mark.spec("REV-15.4", "REV-16.8")
def test_website_guide_evaluations_synchronised_through_upload(world, staff):
    """The website's existing guide evaluations arrive through the upload interface as service-guide
    evaluations of the item code; only the elements the source has are sent; a re-sent batch is
    refused as a whole, so nothing is counted twice."""
    from apps.reviews.models import EvaluationAggregate
    from apps.reviews.services.statistics import aggregate_pending

    app, secret = make_client(world.org, staff["province"], channel="pc")
    rows = [{"external_id": f"GW-{n}", "object_kind": "service_guide", "level": level,
             "matter_code": world.item.implementation_code,
             "tags": [] if level < 4 else ["服务态度差"]} for n, level in enumerate((1, 2, 4))]
    http = Client()
    response = call(http, app, secret, "POST", UPLOAD, {"evaluations": rows})
    assert response.status_code == 201, response.content
    synced = Evaluation.objects.filter(client=app)
    assert synced.count() == 3 and {e.object_kind for e in synced} == {"service_guide"}
    assert {e.channel for e in synced} == {"pc"} and {e.matter_id for e in synced} == {world.item.pk}
    again = call(http, app, secret, "POST", UPLOAD, {"evaluations": rows[:1]})
    assert again.status_code == 400 and Evaluation.objects.filter(client=app).count() == 3
    aggregate_pending()
    guide = EvaluationAggregate.objects.get(object_kind="service_guide")
    assert (guide.total, guide.level1, guide.level4, guide.matter_id) == (3, 1, 1, world.item.pk)


@pytest.mark.spec("REV-2.4")
def test_window_indicators_fetched_used_and_queried(world, integrator, orgs):
    """Window indicators (服务态度, 业务能力, 办事效率, 窗口环境 under each level) reach the hall system,
    come back on window evaluations of the hall system, and the window ranking counts them."""
    from apps.reviews import rankings
    from apps.reviews.services.statistics import aggregate_pending

    app, secret = integrator
    http = Client()
    fetched = call(http, app, secret, "GET", "/api/v1/reviews/open/indicators/").json()
    window_names = {(i["level"], i["name"]) for i in fetched["indicators"] if i["object_kind"] == "window"}
    assert len(window_names) == 20 and (2, "业务能力") in window_names
    rows = [{"external_id": f"W-{n}", "object_kind": "window", "level": 2, "hall_number": world.hall.hall_number,
             "window_number": world.window.window_number, "indicators": [name]}
            for n, name in enumerate(("业务能力", "业务能力", "窗口环境"))]
    assert call(http, app, secret, "POST", UPLOAD, {"evaluations": rows}).status_code == 201
    assert set(Evaluation.objects.values_list("window_id", flat=True)) == {world.window.pk}
    aggregate_pending()
    ranked = rankings.rank(rankings.RankingFilter(object_kinds=("window",)), by="window")
    assert [(r["id"], r["total"], r["score"]) for r in ranked] == [(world.window.pk, 3, 80.0)]
    wrong = [{**rows[0], "external_id": "W-9", "window_number": "99"}]
    response = call(http, app, secret, "POST", UPLOAD, {"evaluations": wrong})
    assert response.status_code == 400 and Evaluation.objects.count() == 3
