"""The 95 query services of the national flagship store's Heilongjiang zone (STORE-3, 3.1 … 3.95), as a
citizen, an enterprise or anybody meets them: the zone page, one page and one API call per service,
answered by the simulated data-exchange gateway over real HTTP (or, for 办事进度, by our own cases)."""
import pytest
from rest_framework.test import APIClient

from apps.acceptance.tests import factories as f
from apps.core.audit import AuditAction, AuditLog
from apps.core.crypto import mask, mask_id_number
from apps.stores.queries import RECORD_FIELD
from apps.stores.queries_catalogue import FIELDS, SERVICES, Access, Mode, get_service
from apps.stores.tests.queries_support import (  # noqa: F401 - fixtures
    CREDIT_CODE,
    OTHER_CREDIT_CODE,
    VALID_INPUT,
    enterprise,
    fresh_cache,
    load,
    person,
    query_source,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
ALL_IDS = tuple(f"STORE-3.{n}" for n in range(1, 96))   # the ★ heading STORE-3 covers these 95 rows


def _api(user=None) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_login(user)
    return api


def _record_for(service, account_keys: dict, params: dict) -> dict:
    """A record the source holds for this query: distinctive column values, the account's keys, and fields
    that match what the user typed (containing the keyword, inside the city)."""
    record = {column.code: f"{service.number}-{column.code}-值" for column in service.columns}
    record.update(account_keys)
    for code, value in params.items():
        field = RECORD_FIELD.get(code, code)
        record[field] = {"contains": f"哈尔滨{value}有限公司", "prefix": f"{value}00000000"}.get(FIELDS[code].match, value)
    return record


def _decoy(service, record: dict) -> dict:
    """The same kind of record for somebody else: it must never be in the answer."""
    decoy = dict(record)
    for field in ("id_number", "target_id_number", "credit_code", "entity_name", "name", "region_code", "plate_number", "licence_number",
                  "certificate_number", "exam_number", "consultation_number"):
        if field in decoy:
            decoy[field] = {"id_number": f.id_number(77), "target_id_number": f.id_number(78),
                            "credit_code": OTHER_CREDIT_CODE,
                            "region_code": "231000000000"}.get(field, "其他单位")
    return decoy


def _expected_text(service, record: dict) -> str:
    if service.mode == Mode.VERIFY:
        return "一致"
    for column in service.columns:
        value = record[column.code]
        if column.masked:
            return mask_id_number(value) if column.code.endswith("id_number") else mask(value, keep_start=4, keep_end=4)
    return record[service.columns[-1].code]


@pytest.mark.spec(*ALL_IDS)
def test_every_service_answers_from_its_source_through_the_api_and_its_page(client, query_source, settings, orgs):
    settings.STORES_QUERY_RATE_PER_MINUTE = 1000
    citizen, company = person(1), enterprise()
    clerk = f.clerk(orgs["harbin_dept"])
    case = f.concluded_case(f.matter(orgs["harbin_dept"], "个体工商户设立登记"), clerk, n=1)
    accounts = {Access.PERSON: (citizen, {"id_number": citizen.id_number, "name": citizen.full_name}),
                Access.ENTERPRISE: (company, {"credit_code": CREDIT_CODE}), Access.PUBLIC: (None, {})}
    assert len(SERVICES) == 95
    for service in SERVICES:
        user, keys = accounts[service.access]
        keys = {} if service.about_others else keys
        if service.mode == Mode.LOCAL:
            params = {"case_number": case.case_number, "applicant_code": f.id_number(1)}
            expected = case.case_number
        else:
            params = {field.code: VALID_INPUT[field.code] for field in service.inputs}
            record = _record_for(service, keys, params)
            load(query_source, service.code, [record, _decoy(service, record)])
            expected = _expected_text(service, record)

        answer = _api(user).post(f"/api/v1/stores/queries/{service.code}/", {"params": params}, format="json")
        assert answer.status_code == 200, (service.spec_id, answer.content.decode())
        body = answer.json()
        shown = [str(value) for row in body["records"] for value in row.values()]
        assert expected in shown, (service.spec_id, body)
        if service.mode != Mode.VERIFY:
            assert body["total"] == 1, (service.spec_id, body)            # the decoy is never in the answer

        client.logout()
        if user is not None:
            client.force_login(user)
        page = client.post(f"/stores/queries/{service.code}/", params)
        assert page.status_code == 200, service.spec_id
        assert expected in page.content.decode(), service.spec_id


@pytest.mark.spec(*ALL_IDS)
def test_the_zone_lists_all_95_by_topic_and_narrows_by_keyword(client):
    page = client.get("/stores/queries/").content.decode()
    assert page.count('data-testid="query-card"') == 95
    for service in SERVICES:
        assert service.name in page and f"/stores/queries/{service.code}/" in page
    narrowed = client.get("/stores/queries/", {"q": "社保卡"}).content.decode()
    assert narrowed.count('data-testid="query-card"') == 5 and "社保卡激活查询" in narrowed
    assert "全省旅行社信息查询" not in narrowed
    by_department = client.get("/stores/queries/", {"q": "住房公积金管理中心"}).content.decode()
    assert by_department.count('data-testid="query-card"') == 8 and "贷款还款计划查询" in by_department
    nothing = client.get("/stores/queries/", {"q": "不存在的服务"}).content.decode()
    assert 'data-testid="query-none"' in nothing


@pytest.mark.spec(*ALL_IDS)
def test_the_catalogue_api_describes_each_service(db):
    body = _api().get("/api/v1/stores/queries/").json()
    assert body["count"] == 95 and len(body["results"]) == 95
    plate = next(s for s in body["results"] if s["code"] == "vehicle")
    assert plate["number"] == 17 and plate["access"] == "person"
    assert [i["code"] for i in plate["inputs"]] == ["plate_number", "vehicle_kind"]
    assert ["02", "小型汽车"] in plate["inputs"][1]["choices"]
    assert {"code": "vin", "label": "车辆识别代号", "masked": True} in plate["columns"]


@pytest.mark.spec("STORE-3.23", "STORE-3.42")
def test_personal_and_enterprise_services_refuse_the_wrong_account_and_ask_nothing(client, query_source):
    personal, company_only = "/api/v1/stores/queries/social-insurance/", "/api/v1/stores/queries/taxpayer-basic/"
    anonymous = _api().post(personal, {}, format="json")
    assert anonymous.status_code == 401 and "请先登录" in anonymous.json()["message"]
    assert client.post("/stores/queries/social-insurance/").url.startswith("/login/?next=")
    low = _api(person(5, level=1)).post(personal, {}, format="json")
    assert low.status_code == 403 and "实名等级二级" in low.json()["message"]
    page = client.get("/stores/queries/social-insurance/")
    assert 'data-testid="query-refused"' in page.content.decode()
    client.force_login(person(6, level=1))
    assert "/sso/level-upgrade/" in client.get("/stores/queries/social-insurance/").content.decode()
    assert _api(enterprise()).post(personal, {}, format="json").status_code == 403
    assert _api(person(7)).post(company_only, {}, format="json").status_code == 403
    assert query_source.queries == []                                   # no refused query reached the source


@pytest.mark.spec("STORE-3.94")
def test_a_person_only_ever_sees_their_own_records(query_source):
    me, other = person(1), person(2, name="李四")
    load(query_source, "provident-account", [
        {"id_number": me.id_number, "name": "张三", "account": "1002003004005006", "balance": "12000.00"},
        {"id_number": other.id_number, "name": "李四", "account": "9009008007006005", "balance": "99999.00"}])
    # an ID number typed into the request is not an input of the service: it is ignored
    answer = _api(me).post("/api/v1/stores/queries/provident-account/",
                           {"params": {"id_number": other.id_number, "name": "李四"}}, format="json").json()
    assert answer["total"] == 1 and answer["records"][0]["balance"] == "12000.00"
    assert answer["records"][0]["account"] == "1002********5006"
    assert answer["records"][0]["id_number"] == mask_id_number(me.id_number)
    sent = query_source.queries[-1][1]["filters"]
    assert {"field": "id_number", "op": "exact", "value": me.id_number} in sent


@pytest.mark.spec("STORE-3.17", "STORE-3.25", "STORE-3.32")
def test_bad_input_gets_field_errors_and_costs_no_call(client, query_source):
    me = person(1)
    plate = _api(me).post("/api/v1/stores/queries/vehicle/", {"params": {"plate_number": "A123", "vehicle_kind": "99"}},
                          format="json")
    assert plate.status_code == 400
    assert "号牌号码格式不正确" in plate.json()["errors"]["plate_number"][0]
    assert "vehicle_kind" in plate.json()["errors"]
    code = _api().post("/api/v1/stores/queries/enterprise-basic/", {"params": {"credit_code": "91230100MA1B2C3D40"}},
                       format="json")
    assert code.status_code == 400 and "credit_code" in code.json()["errors"]
    client.force_login(me)
    page = client.post("/stores/queries/gaokao-score/", {"exam_number": "12345"})
    assert page.status_code == 400 and "考生号必须是 14 位数字" in page.content.decode()
    assert query_source.queries == []


@pytest.mark.spec("STORE-3.25")
def test_full_width_input_is_normalised_before_the_source_is_asked(query_source):
    load(query_source, "enterprise-basic", [{"credit_code": CREDIT_CODE, "entity_name": "哈尔滨冰城科技有限公司",
                                             "status": "存续"}])
    typed = CREDIT_CODE.lower().translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    answer = _api().post("/api/v1/stores/queries/enterprise-basic/", {"params": {"credit_code": typed}}, format="json")
    assert answer.status_code == 200 and answer.json()["records"][0]["status"] == "存续"


@pytest.mark.spec("STORE-3.85")
def test_id_and_name_check_answers_match_mismatch_and_unknown(query_source):
    target = f.id_number(40)
    load(query_source, "id-name-check", [{"target_id_number": target, "target_name": "王五"}])
    me = _api(person(1))
    url = "/api/v1/stores/queries/id-name-check/"
    verdict = lambda name, number: me.post(url, {"params": {"target_name": name, "target_id_number": number}},  # noqa: E731
                                           format="json").json()["verdict"]
    assert verdict("王五", target) == "一致"
    assert verdict("王六", target) == "不一致"
    assert verdict("王五", f.id_number(41)) == "查无此人"


@pytest.mark.spec("STORE-3.54")
def test_directory_narrows_by_city_and_keyword_and_says_when_it_shows_only_the_first_50(query_source):
    many = [{"name": f"哈尔滨旅行社{n}", "region_code": "230100000000", "telephone": "0451-1"} for n in range(60)]
    load(query_source, "travel-agencies", many + [{"name": "牡丹江旅行社", "region_code": "231000000000"}])
    api = _api()
    harbin = api.post("/api/v1/stores/queries/travel-agencies/", {"params": {"city": "2301"}}, format="json").json()
    assert harbin["total"] == 60 and len(harbin["records"]) == 50
    mudanjiang = api.post("/api/v1/stores/queries/travel-agencies/", {"params": {"city": "2310"}}, format="json").json()
    assert [r["name"] for r in mudanjiang["records"]] == ["牡丹江旅行社"]
    named = api.post("/api/v1/stores/queries/travel-agencies/", {"params": {"keyword": "旅行社5"}}, format="json").json()
    assert named["total"] == 11                                          # 旅行社5, 50 … 59


@pytest.mark.spec("STORE-3.94")
def test_an_unavailable_source_is_a_clear_503_and_the_page_says_so(client, query_source):
    me = person(1)
    query_source.inject_failures(2, 503)
    answer = _api(me).post("/api/v1/stores/queries/provident-account/", {}, format="json")
    assert answer.status_code == 503 and "黑龙江省住房公积金管理中心的数据接口暂时无法访问" in answer.json()["message"]
    client.force_login(me)
    page = client.post("/stores/queries/provident-account/")
    assert page.status_code == 503 and "暂时无法访问" in page.content.decode()


@pytest.mark.spec("STORE-3.23", "STORE-3.37")
def test_personal_queries_are_audited_without_the_values_and_public_ones_are_not(query_source):
    me = person(1)
    load(query_source, "social-insurance", [{"id_number": me.id_number, "name": "张三", "insurance": "职工基本医疗保险"}])
    _api(me).post("/api/v1/stores/queries/social-insurance/", {}, format="json")
    _api().post("/api/v1/stores/queries/credit-code/", {"params": {"enterprise_name": "冰城"}}, format="json")
    logs = list(AuditLog.objects.filter(action=AuditAction.QUERY))
    assert len(logs) == 1 and logs[0].actor == me
    assert logs[0].detail == "STORE-3.23 个人参保查询：1 条" and me.id_number not in str(logs[0].changes)


@pytest.mark.spec("STORE-3.37")
def test_too_many_queries_in_a_minute_are_refused(query_source, settings):
    settings.STORES_QUERY_RATE_PER_MINUTE = 3
    api = _api()
    statuses = [api.post("/api/v1/stores/queries/credit-code/", {"params": {"enterprise_name": "冰城"}},
                         format="json").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert len(query_source.queries) == 3


@pytest.mark.spec("STORE-3.92")
def test_case_progress_reads_our_own_cases_and_needs_the_applicants_id(orgs):
    clerk = f.clerk(orgs["harbin_dept"])
    case = f.concluded_case(f.matter(orgs["harbin_dept"], "食品经营许可"), clerk, n=3)
    api, url = _api(), "/api/v1/stores/queries/case-progress/"
    found = api.post(url, {"params": {"case_number": case.case_number, "applicant_code": f.id_number(3)}},
                     format="json").json()
    assert found["records"][0]["matter"] == "食品经营许可" and found["records"][0]["status"] == "已办结"
    wrong = api.post(url, {"params": {"case_number": case.case_number, "applicant_code": f.id_number(4)}},
                     format="json").json()
    assert wrong["total"] == 0
    assert AuditLog.objects.filter(action=AuditAction.QUERY, detail__startswith="STORE-3.92").count() == 2


def test_unknown_service_is_404(client):
    assert client.get("/stores/queries/no-such-service/").status_code == 404
    assert _api().post("/api/v1/stores/queries/no-such-service/", {}, format="json").status_code == 404
    assert get_service("no-such-service") is None
