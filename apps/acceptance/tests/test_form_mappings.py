"""Form-to-basic-information mappings (ACC-16.4): staff pair form fields with identity attributes; the
apply page pre-fills them from the logged-in applicant's profile and writes them back to the case."""
import pytest
from django.urls import reverse

from apps.acceptance.models import Case, FormMapping
from apps.acceptance.services import form_admin as svc
from apps.acceptance.tests import factories as f
from apps.acceptance.tests.forms_support import GOOD_ANSWERS, form_admin, schema
from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(orgs):
    return form_admin(orgs["harbin"])


@pytest.mark.spec("ACC-16.4")
def test_mapping_list_edit_prefill_and_write_back(client, orgs, admin):
    form = svc.form_create(code="gtgsh", name="个体工商户设立登记申请表", organisation=orgs["harbin"], actor=admin,
                           schema=schema())
    svc.form_publish(form=form, actor=admin)
    item = f.matter(orgs["harbin_dept"], "个体工商户设立登记")
    svc.item_form_bind(item=item, form=form, actor=admin)
    client.force_login(admin)
    add = reverse("acceptance:form-mapping-add")
    refused = client.post(add, {"name": "经营者信息映射", "form": form.pk, "target": "natural_person",
                                "pair_field": ["operator_name", "no_such_field", "capital"],
                                "pair_attribute": ["full_name", "id_number", "credit_code"]})
    body = refused.content.decode()
    assert refused.status_code == 200 and not FormMapping.objects.exists()
    assert "没有字段“no_such_field”" in body and "“credit_code”不是所选基本信息类型的属性" in body
    saved = client.post(add, {"name": "经营者信息映射", "form": form.pk, "target": "natural_person",
                              "pair_field": ["operator_name", "operator_id", "operator_mobile", ""],
                              "pair_attribute": ["full_name", "id_number", "mobile_number", ""]})
    assert saved.status_code == 302
    mapping = FormMapping.objects.get()
    assert mapping.pairs == [{"field": "operator_name", "attribute": "full_name"},
                             {"field": "operator_id", "attribute": "id_number"},
                             {"field": "operator_mobile", "attribute": "mobile_number"}]
    listing = client.get(reverse("acceptance:form-mapping-list"), {"name": "经营者"}).content.decode()
    for text in ("经营者信息映射", "个体工商户设立登记申请表", "自然人基本信息", "创建时间"):
        assert text in listing
    assert "经营者信息映射" not in client.get(reverse("acceptance:form-mapping-list"), {"name": "法人"}).content.decode()

    person = UserFactory(username="wang", kind=UserKind.NATURAL_PERSON, full_name="王小明",
                         id_number=f.id_number(7), mobile_number="13900000007")
    client.force_login(person)
    url = reverse("acceptance-public:apply", args=[item.pk])
    page = client.get(url).content.decode()
    assert 'name="operator_name" value="王小明"' in page and f'name="operator_id" value="{f.id_number(7)}"' in page
    # The applicant corrects the mapped answers: they are written back to the case's applicant columns.
    done = client.post(url, {"applicant_name": "王小明", "applicant_id_number": f.id_number(7),
                             **GOOD_ANSWERS, "operator_name": "王晓明", "operator_id": f.id_number(8),
                             "operator_mobile": "13900000008"})
    assert done.status_code == 302
    case = Case.objects.get()
    assert (case.applicant_name, case.applicant_id_number, case.applicant_mobile) == (
        "王晓明", f.id_number(8), "13900000008")

    client.force_login(admin)
    edit = client.post(reverse("acceptance:form-mapping-edit", args=[mapping.pk]), {
        "name": "办件申请人映射", "form": form.pk, "target": "case_applicant",
        "pair_field": ["operator_name"], "pair_attribute": ["applicant_name"]})
    assert edit.status_code == 302
    mapping.refresh_from_db()
    assert mapping.name == "办件申请人映射" and mapping.target == "case_applicant" and len(mapping.pairs) == 1
    client.post(reverse("acceptance:form-mapping-delete", args=[mapping.pk]))
    assert not FormMapping.objects.exists()


def test_mapping_pages_refuse_without_permission_and_outside_scope(client, orgs, admin, citizen, staff):
    form = svc.form_create(code="gtgsh", name="个体工商户设立登记申请表", organisation=orgs["harbin"], actor=admin,
                           schema=schema())
    url = reverse("acceptance:form-mapping-add")
    data = {"name": "越权映射", "form": form.pk, "target": "natural_person", "pair_field": ["operator_name"],
            "pair_attribute": ["full_name"]}
    assert client.post(url, data).status_code == 302 and not FormMapping.objects.exists()      # anonymous → login
    client.force_login(citizen)
    assert client.post(url, data).status_code == 403
    client.force_login(staff["harbin"])
    assert client.post(url, data).status_code == 403
    client.force_login(form_admin(orgs["qiqihar"], "qiqihar_forms"))
    page = client.post(url, data)
    assert page.status_code == 200 and "请选择来源表单" in page.content.decode()               # form not in scope
    assert not FormMapping.objects.exists()


def test_demo_seed_builds_valid_forms_and_binds_items_twice_safely(client, orgs, citizen):
    from apps.acceptance.demo_forms import seed_forms
    from apps.acceptance.models import Form, ItemForm

    item = f.matter(orgs["harbin_dept"], "个体工商户设立登记")
    seed_forms(organisation=orgs["harbin"], log=lambda *_: None)
    seed_forms(organisation=orgs["harbin"], log=lambda *_: None)
    assert Form.objects.count() == 3 and ItemForm.objects.get(item=item).form.code == "gtgsh-sl"
    combined = Form.objects.get(code="gtgsh-spjy")
    assert list(combined.part_links.values_list("part__code", flat=True)) == ["gtgsh-sl", "spjy-xk"]
    client.force_login(citizen)
    page = client.get(reverse("acceptance-public:apply", args=[item.pk])).content.decode()
    assert "食品经营信息" in page and "参加经营的家庭成员姓名及身份证号码" in page
