"""Window intake assistance as window staff meet it (ACC-7.6, 7.8, 7.11, 7.13): related items and item
chains, "one thing" bundles, material examples and review requirements, copying a historical case and
reusing historical materials — each refused with nothing written when the input is not allowed."""
import pytest
from django.urls import reverse

from apps.acceptance.models import Case, CaseMaterial, MaterialGuide, RelatedItem
from apps.acceptance.services import onewindow as ow
from apps.acceptance.tests import factories as f
from apps.identity.models import UserKind
from apps.identity.tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
INTAKE = "acceptance:case-intake"
CONFIG_PERMS = ("view_relateditem", "add_relateditem", "change_relateditem", "view_materialguide",
                "add_materialguide", "change_materialguide", "view_printtemplate")


@pytest.fixture
def item(orgs):
    item, _s = f.with_materials(f.matter(orgs["harbin_dept"]))
    return item


@pytest.fixture
def clerk(orgs):
    return f.grant(f.clerk(orgs["harbin_dept"]), *CONFIG_PERMS)


def _post(item, n=1, **extra):
    return {"item": item.pk, "applicant_name": f"张三{n}", "applicant_id_number": f.id_number(n),
            "applicant_mobile": "13900000001", "received": [item.materials.get(name="申请书").pk], **extra}


@pytest.mark.spec("ACC-7.6")
def test_related_items_chain_prerequisite_and_one_thing_bundle_at_the_window(client, orgs, item, clerk):
    from apps.matters.models import OneThing

    related, _s = f.with_materials(f.matter(orgs["harbin_dept"], "食品经营许可变更"))
    earlier = f.matter(orgs["harbin_dept"], "营业执照核发")
    bundled = f.matter(orgs["harbin_dept"], "公共场所卫生许可")
    bundle = OneThing.objects.create(name="我要开餐馆")
    bundle.catalogue_items.add(item.catalogue_item, bundled.catalogue_item)
    client.force_login(clerk)
    # staff curate the relations on the configuration page (one relation per pair, never to itself)
    add = reverse("acceptance:config-add", args=["related-items"])
    assert client.post(add, {"item": item.pk, "related": related.pk, "kind": "related"}).status_code == 302
    assert client.post(add, {"item": item.pk, "related": earlier.pk, "kind": "prerequisite",
                             "note": "先取得营业执照"}).status_code == 302
    assert client.post(add, {"item": item.pk, "related": item.pk, "kind": "related"}).status_code == 200
    assert client.post(add, {"item": item.pk, "related": related.pk, "kind": "related"}).status_code == 200
    assert RelatedItem.objects.count() == 2
    page = client.get(reverse(INTAKE) + f"?item={item.pk}&applicant={f.id_number(1)}").content.decode()
    assert "食品经营许可变更" in page and "营业执照核发" in page and "未取得许可" in page
    assert "我要开餐馆" in page and "公共场所卫生许可" in page
    # the chain's earlier item is not licensed: refused, nothing written
    response = client.post(reverse(INTAKE), _post(item, together=[related.pk]))
    assert "尚未取得前置事项的许可：营业执照核发" in response.content.decode() and not Case.objects.exists()
    licence = f.concluded_case(earlier, clerk, n=1)                                   # same applicant, approved
    page = client.get(reverse(INTAKE) + f"?item={item.pk}&applicant={f.id_number(1)}").content.decode()
    assert "已取得许可" in page
    # only curated related items may be declared together
    response = client.post(reverse(INTAKE), _post(item, together=[bundled.pk]))
    assert "只能一并申报" in response.content.decode() and Case.objects.count() == 1
    response = client.post(reverse(INTAKE), _post(item, together=[related.pk]))
    main = Case.objects.get(item=item)
    sibling = Case.objects.get(item=related)
    assert response.status_code == 302 and sibling.declared_with == main
    assert sibling.applicant_id_number == main.applicant_id_number and licence.pk not in (main.pk, sibling.pk)
    assert sibling.case_number in client.get(main.get_absolute_url()).content.decode()
    # another applicant without the licence is refused online too
    applicant = UserFactory(username="applicant_x", kind=UserKind.NATURAL_PERSON)
    with pytest.raises(Exception, match="前置事项"):
        ow.case_apply_online(item=item, actor=applicant, applicant_name="李四", applicant_id_number=f.id_number(2),
                             files={str(item.materials.get(name="申请书").pk): f.upload()})
    assert Case.objects.count() == 3


@pytest.mark.spec("ACC-7.8")
def test_material_examples_sample_forms_and_review_requirements_shown_at_intake(client, orgs, item, clerk):
    material = item.materials.get(name="申请书")
    client.force_login(clerk)
    add = reverse("acceptance:config-add", args=["material-guides"])
    base = {"material": material.pk, "review_requirements": "须法定代表人签字并加盖公章",
            "example": "参照示例填写经营场所"}
    refused = client.post(add, {**base, "sample_form": f.upload("样表.exe", b"MZ")})
    assert refused.status_code == 200 and "不允许上传" in refused.content.decode()
    assert not MaterialGuide.objects.exists()
    other_item = f.matter(orgs["qiqihar"])
    other_material = other_item.materials.create(name="外市材料", is_required=True, order=1)
    assert client.post(add, {**base, "material": other_material.pk}).status_code == 200   # out of scope choice
    assert not MaterialGuide.objects.exists()
    assert client.post(add, {**base, "sample_form": f.upload("申请书样表.docx", b"PK\x03\x04x")}).status_code == 302
    guide = MaterialGuide.objects.get()
    page = client.get(reverse(INTAKE) + f"?item={item.pk}").content.decode()
    assert "须法定代表人签字并加盖公章" in page and "参照示例填写经营场所" in page
    sample = reverse("acceptance:material-guide-file", args=[guide.pk, "sample"])
    assert sample in page
    download = client.get(sample)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"PK\x03\x04x"
    assert client.get(reverse("acceptance:material-guide-file", args=[guide.pk, "example"])).status_code == 404
    client.logout()
    assert client.get(sample).status_code == 302
    client.force_login(StaffFactory(username="noperm", organisation=orgs["harbin_dept"]))
    assert client.get(sample).status_code == 403


@pytest.mark.spec("ACC-7.11", "ACC-7.13")
def test_copy_a_historical_case_and_reuse_its_materials(client, orgs, item, clerk):
    applicant = UserFactory(username="applicant_1", kind=UserKind.NATURAL_PERSON)
    required = item.materials.get(name="申请书")
    earlier = ow.case_apply_online(item=item, actor=applicant, applicant_name="张三", applicant_id_number=f.id_number(1),
                                   applicant_mobile="13900000001", files={str(required.pk): f.upload()},
                                   form_data={"经营场所": "哈尔滨市道里区中央大街1号"})
    ow.case_pre_review(case=earlier, actor=clerk, decision="pass", opinion="齐全")
    from apps.acceptance.services.cases import case_accept
    case_accept(case=earlier, actor=clerk)
    stranger = ow.case_apply_online(item=item, actor=UserFactory(username="applicant_2", kind=UserKind.NATURAL_PERSON),
                                    applicant_name="李四", applicant_id_number=f.id_number(2),
                                    files={str(required.pk): f.upload("李四申请书.pdf", b"%PDF-1.4 lisi")})
    old_file = earlier.materials.get()
    client.force_login(clerk)
    url = reverse(INTAKE) + f"?item={item.pk}&applicant={f.id_number(1)}"
    page = client.get(url).content.decode()
    assert earlier.case_number in page and stranger.case_number not in page
    assert f'<option value="{old_file.pk}">' in page
    copied = client.get(url + f"&copy={earlier.pk}").content.decode()
    assert 'data-testid="copied-note"' in copied and 'value="张三"' in copied
    assert "找不到该申请人可复制的历史办件" in client.get(url + f"&copy={stranger.pk}", follow=True).content.decode()
    count = Case.objects.count()
    data = {"item": item.pk, "applicant_name": "张三", "applicant_id_number": f.id_number(1),
            "applicant_mobile": "13900000001", "copy_from": earlier.pk}
    # someone else's material or someone else's case: refused, nothing written
    bad = client.post(reverse(INTAKE), {**data, f"reuse_{required.pk}": stranger.materials.get().pk})
    assert "只能复用该申请人本人" in bad.content.decode() and Case.objects.count() == count
    bad = client.post(reverse(INTAKE), {**data, "copy_from": stranger.pk, f"reuse_{required.pk}": old_file.pk})
    assert "找不到该申请人可复制的历史办件" in bad.content.decode() and Case.objects.count() == count
    done = client.post(reverse(INTAKE), {**data, f"reuse_{required.pk}": old_file.pk})
    assert done.status_code == 302
    case = Case.objects.latest("pk")
    assert case.form_data == {"经营场所": "哈尔滨市道里区中央大街1号", "copied_from": earlier.case_number}
    reused = case.materials.get()
    assert (reused.source, reused.reused_from, reused.file.name) == ("history", old_file, old_file.file.name)
    assert CaseMaterial.objects.filter(file=old_file.file.name).count() == 2
    # staff of another region see no history of this applicant
    client.force_login(f.clerk(orgs["qiqihar"], "qq_clerk"))
    qq_item = f.matter(orgs["qiqihar"])
    page = client.get(reverse(INTAKE) + f"?item={qq_item.pk}&applicant={f.id_number(1)}").content.decode()
    assert earlier.case_number not in page
