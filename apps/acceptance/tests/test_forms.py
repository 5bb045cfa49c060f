"""No-code application forms (ACC-16.8) as staff and applicants meet them: designer save → publish →
the apply page and the API use the published version; versions, copy, export/import, combined forms,
bad schemas and bad answers refused with nothing written, authorisation and scope."""
import json

import pytest
from django.core.exceptions import ValidationError
from django.test.utils import CaptureQueriesContext
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from apps.acceptance.models import Case, Form, FormKind, FormStatus, FormVersion, ItemForm
from apps.acceptance.services import form_admin as svc
from apps.acceptance.services.forms import form_schema_validate, form_submission_validate
from apps.acceptance.tests import factories as f
from apps.acceptance.tests.forms_support import GOOD_ANSWERS, form_admin, schema
from apps.core.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(orgs):
    return form_admin(orgs["harbin"])


@pytest.fixture
def item(orgs):
    return f.matter(orgs["harbin_dept"], "个体工商户设立登记")


def published(admin, organisation, code="gtgsh", name="个体工商户设立登记申请表", body=None):
    form = svc.form_create(code=code, name=name, organisation=organisation, actor=admin, schema=body or schema())
    svc.form_publish(form=form, actor=admin)
    form.refresh_from_db()
    return form


def applicant_post(extra=None):
    return {"applicant_name": "王小明", "applicant_id_number": f.id_number(7), "applicant_mobile": "13900000007",
            **GOOD_ANSWERS, **(extra or {})}


@pytest.mark.spec("ACC-16.8")
def test_designer_save_publish_and_the_citizen_applies_with_conditional_fields(client, orgs, admin, item, citizen):
    client.force_login(admin)
    created = client.post(reverse("acceptance:form-add"), {"code": "gtgsh", "name": "个体工商户设立登记申请表",
                                                          "kind": "single", "organisation": orgs["harbin"].pk})
    form = Form.objects.get()
    assert created.url == reverse("acceptance:form-designer", args=[form.pk]) and form.creator == admin
    designer = client.get(created.url).content.decode()
    assert 'id="form-designer"' in designer and 'data-type="checkbox"' in designer
    saved = client.post(created.url, json.dumps(schema()), content_type="application/json")
    assert saved.status_code == 200 and saved.json()["version"] == 1
    assert client.post(reverse("acceptance:form-action", args=[form.pk, "publish"])).status_code == 302
    form.refresh_from_db()
    assert form.status == FormStatus.PUBLISHED and form.versions.get().published_at is not None
    assert client.post(reverse("acceptance:form-bind", args=[form.pk]), {"item": item.pk}).status_code == 302
    assert ItemForm.objects.get(item=item).form == form
    assert AuditLog.objects.filter(object_id=str(form.pk), action="update").count() >= 2

    client.force_login(citizen)
    url = reverse("acceptance-public:apply", args=[item.pk])
    page = client.get(url).content.decode()
    for text in ("个体工商户设立登记申请表", "经营者姓名", "参加经营的家庭成员", "食品经营信息",
                 'data-show-field="organisation_form" data-show-equals="家庭经营"', "acceptance-forms.js"):
        assert text in page
    bad = client.post(url, applicant_post({"operator_id": "230101199001010000", "capital": "5000",
                                           "organisation_form": "家庭经营", "sells_food": "是",
                                           "food_licence": "JY123", "operator_name": ""}))
    body = bad.content.decode()
    assert bad.status_code == 200 and not Case.objects.exists()
    for key in ("operator_name", "operator_id", "capital", "family_members", "food_licence", "food_kinds"):
        assert f'data-testid="error-{key}"' in body, key
    assert "资金数额（万元）须在 0 到 1000 之间" in body and "请填写参加经营的家庭成员" in body
    assert 'value="家庭经营" checked' in body                                  # answers kept for correction
    # Hidden by its condition (no food): whatever is sent for the food step is ignored.
    done = client.post(url, applicant_post({"food_licence": "garbage", "food_kinds": "nonsense"}))
    assert done.status_code == 302, done.content.decode()[:3000]
    case = Case.objects.get()
    stored = case.form_data["application_form"]
    assert stored["code"] == "gtgsh" and stored["version"] == 1
    assert stored["answers"] == {"operator_name": "王小明", "operator_id": f.id_number(7),
                                 "operator_mobile": "13900000007", "organisation_form": "个人经营", "capital": 12.5,
                                 "sells_food": "否"}


@pytest.mark.spec("ACC-16.8")
def test_family_and_food_steps_apply_only_when_their_condition_holds(client, orgs, admin, item, citizen):
    form = published(admin, orgs["harbin"])
    svc.item_form_bind(item=item, form=form, actor=admin)
    client.force_login(citizen)
    url = reverse("acceptance-public:apply", args=[item.pk])
    done = client.post(url, applicant_post({"organisation_form": "家庭经营", "family_members": "王大明（配偶）",
                                            "sells_food": "是", "food_licence": "JY12301010000001",
                                            "food_kinds": ["散装食品销售", "预包装食品销售"]}))
    assert done.status_code == 302
    answers = Case.objects.get().form_data["application_form"]["answers"]
    assert answers["family_members"] == "王大明（配偶）" and answers["food_licence"] == "JY12301010000001"
    assert answers["food_kinds"] == ["预包装食品销售", "散装食品销售"]              # in the options' order


@pytest.mark.spec("ACC-16.8")
def test_published_version_is_immutable_and_the_apply_page_switches_on_the_next_publication(
        client, orgs, admin, item, citizen):
    form = published(admin, orgs["harbin"])
    svc.item_form_bind(item=item, form=form, actor=admin)
    first = form.versions.get()
    edited = schema()
    edited["steps"][0]["fields"][0]["label"] = "经营者姓名（与身份证一致）"
    draft = svc.form_version_save(form=form, schema=edited, actor=admin)
    assert draft.number == 2 and draft.published_at is None
    first.refresh_from_db()
    assert first.schema["steps"][0]["fields"][0]["label"] == "经营者姓名"
    assert svc.form_version_save(form=form, schema=edited, actor=admin).pk == draft.pk   # same draft again
    client.force_login(citizen)
    url = reverse("acceptance-public:apply", args=[item.pk])
    assert "与身份证一致" not in client.get(url).content.decode()
    svc.form_publish(form=form, actor=admin)
    assert "经营者姓名（与身份证一致）" in client.get(url).content.decode()
    client.post(url, applicant_post())
    assert Case.objects.get().form_data["application_form"]["version"] == 2
    svc.form_disable(form=form, actor=admin)                          # disabled: back to the plain page
    assert 'data-testid="application-form"' not in client.get(url).content.decode()


@pytest.mark.spec("ACC-16.8")
def test_copy_and_export_import_round_trip(client, orgs, admin):
    form = published(admin, orgs["harbin"])
    client.force_login(admin)
    copied = client.post(reverse("acceptance:form-action", args=[form.pk, "copy"]),
                         {"code": "gtgsh-copy", "name": "个体工商户变更登记申请表"})
    copy = Form.objects.get(code="gtgsh-copy")
    assert copied.url == reverse("acceptance:form-designer", args=[copy.pk])
    assert copy.status == FormStatus.DRAFT and copy.versions.get().schema == form.versions.get().schema
    exported = client.get(reverse("acceptance:form-export", args=[form.pk]))
    assert exported["Content-Disposition"].startswith('attachment; filename="form-gtgsh-v1.json"')
    template = exported.content
    imported = client.post(reverse("acceptance:form-import"), {"file": _upload(template), "code": "gtgsh-2",
                                                                "organisation": orgs["harbin_dept"].pk})
    clone = Form.objects.get(code="gtgsh-2")
    assert imported.status_code == 302 and clone.organisation == orgs["harbin_dept"]
    assert clone.versions.get().schema == form.versions.get().schema and clone.name == form.name
    # All or nothing: a template with a broken schema or a taken code writes nothing.
    broken = json.loads(template)
    broken["schema"]["steps"][0]["fields"][1]["type"] = "signature"
    before = Form.objects.count()
    client.post(reverse("acceptance:form-import"), {"file": _upload(json.dumps(broken).encode()), "code": "gtgsh-3",
                                                     "organisation": orgs["harbin"].pk})
    client.post(reverse("acceptance:form-import"), {"file": _upload(template), "organisation": orgs["harbin"].pk})
    client.post(reverse("acceptance:form-import"), {"file": _upload(b"not json"), "organisation": orgs["harbin"].pk})
    assert Form.objects.count() == before and FormVersion.objects.count() == before
    messages = [str(m) for m in client.get(reverse("acceptance:form-list")).context["messages"]]
    assert any("不支持的字段类型“signature”" in m for m in messages)
    assert any("表单编码“gtgsh”已被使用" in m for m in messages)
    assert any("不是有效的 JSON" in m for m in messages)


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("form.json", content, content_type="application/json")


@pytest.mark.spec("ACC-16.8")
def test_combined_form_merges_published_sub_forms_and_refuses_conflicting_keys(orgs, admin, item, client, citizen):
    operator = published(admin, orgs["harbin"], "operator", "经营者信息表", {"steps": [schema()["steps"][0]]})
    premises = published(admin, orgs["harbin"], "premises", "经营场所信息表", {"steps": [{"title": "经营场所", "fields": [
        {"key": "operator_name", "label": "经营者姓名", "type": "text", "required": True, "max_length": 30},
        {"key": "premises_address", "label": "经营场所", "type": "text", "required": True},
        {"key": "premises_area", "label": "面积（平方米）", "type": "number", "min": 1}]}]})
    combined = svc.form_create(code="gtgsh-all", name="个体工商户设立（聚合表单）", organisation=orgs["harbin"],
                               kind=FormKind.COMBINED, parts=[operator, premises], actor=admin)
    svc.form_publish(form=combined, actor=admin)
    version = svc.latest_published(combined)
    keys = [fld["key"] for step in version.schema["steps"] for fld in step["fields"]]
    assert keys == ["operator_name", "operator_id", "operator_mobile", "organisation_form", "family_members",
                    "capital", "sells_food", "premises_address", "premises_area"]      # operator_name kept once
    assert [s["title"] for s in version.schema["steps"]] == ["经营者信息", "经营场所"]
    svc.item_form_bind(item=item, form=combined, actor=admin)
    client.force_login(citizen)
    page = client.get(reverse("acceptance-public:apply", args=[item.pk])).content.decode()
    assert "经营者身份证号码" in page and "面积（平方米）" in page
    clash = published(admin, orgs["harbin"], "clash", "冲突表", {"steps": [{"title": "x", "fields": [
        {"key": "capital", "label": "注册资本", "type": "text"}]}]})
    with pytest.raises(ValidationError) as refused:
        svc.form_create(code="bad-all", name="冲突聚合", organisation=orgs["harbin"], kind=FormKind.COMBINED,
                        parts=[operator, clash], actor=admin)
    assert "都有字段“capital”，但定义不同" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        svc.form_create(code="one-all", name="只有一个", organisation=orgs["harbin"], kind=FormKind.COMBINED,
                        parts=[operator], actor=admin)
    assert not Form.objects.filter(code__in=["bad-all", "one-all"]).exists()


@pytest.mark.parametrize("mutate, message", [
    (lambda s: s["steps"].clear(), "至少要有一个步骤"),
    (lambda s: s["steps"][0]["fields"][1].update(key="operator_name"), "字段标识“operator_name”重复"),
    (lambda s: s["steps"][0]["fields"][0].update(key="9name"), "字段标识须以小写字母开头"),
    (lambda s: s["steps"][0]["fields"][3].update(options=[]), "至少要有一个选项"),
    (lambda s: s["steps"][0]["fields"][5].update(min=10, max=1), "最小值大于最大值"),
    (lambda s: s["steps"][0]["fields"][0].update(regex="(["), "校验正则表达式无效"),
    (lambda s: s["steps"][0]["fields"][4].update(show_if={"field": "sells_food", "equals": "是"}), "不在它之前"),
    (lambda s: s["steps"][1].update(show_if={"field": "sells_food", "equals": "也许"}), "不是字段“sells_food”的选项"),
    (lambda s: s["steps"][1].update(fields=[]), "至少要有一个字段"),
])
def test_bad_schema_is_refused_with_a_chinese_message_and_nothing_written(client, orgs, admin, mutate, message):
    form = svc.form_create(code="gtgsh", name="个体工商户设立登记申请表", organisation=orgs["harbin"], actor=admin)
    body = schema()
    mutate(body)
    client.force_login(admin)
    response = client.post(reverse("acceptance:form-designer", args=[form.pk]), json.dumps(body),
                           content_type="application/json")
    assert response.status_code == 400 and any(message in m for m in response.json()["errors"]), response.json()
    assert not FormVersion.objects.exists()


def test_submission_rules_types_and_hidden_fields():
    rules = form_schema_validate({"steps": [{"title": "t", "fields": [
        {"key": "email", "label": "邮箱", "type": "email"},
        {"key": "day", "label": "开业日期", "type": "date", "min": "2026-01-01", "max": "2026-12-31"},
        {"key": "kind", "label": "类型", "type": "select", "options": [{"value": "a", "label": "甲"}, "b"]},
        {"key": "note", "label": "说明", "type": "text", "min_length": 2, "show_if": {"field": "kind", "equals": "b"}},
    ]}]})
    with pytest.raises(ValidationError) as refused:
        form_submission_validate(rules, {"email": "nope", "day": "2027-01-01", "kind": "c"})
    assert refused.value.message_dict == {"email": ["邮箱不是有效的电子邮箱。"],
                                          "day": ["开业日期须在 2026-01-01 到 2026-12-31 之间。"],
                                          "kind": ["类型的选项无效。"]}
    assert form_submission_validate(rules, {"kind": "a", "note": "x"}) == {"kind": "a"}     # note hidden
    with pytest.raises(ValidationError):
        form_submission_validate(rules, {"kind": "b", "note": "x"})                         # shown: min_length


def test_authorisation_matrix_and_scope(client, orgs, admin, citizen, staff, other_region_admin):
    form = published(admin, orgs["harbin"])
    qiqihar_admin = form_admin(orgs["qiqihar"], "qiqihar_forms")
    pages = [reverse("acceptance:form-list"), reverse("acceptance:form-designer", args=[form.pk]),
             reverse("acceptance:form-mapping-list")]
    for url in pages:
        assert client.get(url).status_code == 302                                  # anonymous → login
    client.force_login(citizen)
    assert all(client.get(url).status_code == 403 for url in pages)
    client.force_login(staff["harbin"])                                            # staff, no permission
    assert all(client.get(url).status_code == 403 for url in pages)
    assert client.post(reverse("acceptance:form-action", args=[form.pk, "disable"])).status_code == 403
    client.force_login(qiqihar_admin)                                              # other region
    assert "<code>gtgsh</code>" not in client.get(pages[0]).content.decode()
    assert client.get(pages[1]).status_code == 404
    assert client.post(reverse("acceptance:form-action", args=[form.pk, "disable"])).status_code == 404
    assert client.get(reverse("acceptance:form-export", args=[form.pk])).status_code == 404
    with pytest.raises(Exception):
        svc.form_disable(form=form, actor=qiqihar_admin)
    client.post(reverse("acceptance:form-add"), {"code": "x1", "name": "越权", "kind": "single",
                                                 "organisation": orgs["harbin"].pk})
    assert not Form.objects.filter(code="x1").exists()
    client.force_login(admin)
    assert all(client.get(url).status_code == 200 for url in pages)
    form.refresh_from_db()
    assert form.status == FormStatus.PUBLISHED


def test_form_list_queries_by_name_exports_and_does_not_grow_queries(client, orgs, admin):
    for n in range(3):
        published(admin, orgs["harbin"], f"f{n}", f"营业执照申请表{n}")
    client.force_login(admin)
    url = reverse("acceptance:form-list")
    client.get(url)                                                   # warm up the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(3, 15):
        published(admin, orgs["harbin_dept"], f"f{n}", f"食品许可申请表{n}")
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert len(many) == len(few) and page.count('name="selected"') == 15
    for header in ("表单编码", "表单名称", "创建人", "创建时间", "状态"):
        assert header in page
    queried = client.get(url, {"name": "营业执照"}).content.decode()
    assert queried.count('name="selected"') == 3
    from openpyxl import load_workbook
    import io

    sheet = load_workbook(io.BytesIO(client.get(url, {"name": "食品", "export": "xlsx"}).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("表单编码", "表单名称", "表单类型", "创建人", "创建时间", "状态") and len(rows) == 13


@pytest.mark.spec("ACC-16.8")
def test_api_gives_the_schema_and_checks_answers_like_the_page(orgs, admin, item, citizen):
    form = published(admin, orgs["harbin"])
    api = APIClient()
    assert api.get(f"/api/v1/acceptance/items/{item.pk}/form/").status_code == 404        # nothing bound yet
    svc.item_form_bind(item=item, form=form, actor=admin)
    got = api.get(f"/api/v1/acceptance/items/{item.pk}/form/").json()
    assert got["code"] == "gtgsh" and got["version"] == 1 and got["schema"]["steps"][1]["show_if"] == {
        "field": "sells_food", "equals": "是"}
    api.force_authenticate(citizen)
    base = {"item": item.pk, "applicant_name": "王小明", "applicant_id_number": f.id_number(7)}
    bad = api.post("/api/v1/acceptance/cases/", {**base, "form_answers": {**GOOD_ANSWERS, "sells_food": "是",
                                                                          "capital": "abc"}}, format="json")
    assert bad.status_code == 400 and not Case.objects.exists()
    assert set(bad.json()["errors"]) == {"form_answers.capital", "form_answers.food_licence",
                                         "form_answers.food_kinds"}
    assert api.post("/api/v1/acceptance/cases/", base, format="json").status_code == 400       # answers required
    done = api.post("/api/v1/acceptance/cases/", {**base, "form_answers": json.dumps(GOOD_ANSWERS)})  # multipart
    assert done.status_code == 201, done.json()
    assert Case.objects.get().form_data["application_form"]["answers"]["capital"] == 12.5
