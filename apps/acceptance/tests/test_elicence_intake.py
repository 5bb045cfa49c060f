"""E-licence material use at the window (ACC-7.12) over the e-licence library integration (ACC-19.2):
the applicant's valid licences of the catalogue entry linked to a material are offered at intake, checked
against the applicant again on submission and filed as the material's OFD file."""
import datetime as dt

import pytest
from django.urls import reverse

from apps.acceptance.models import Case, CaseMaterial
from apps.acceptance.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(orgs):
    from apps.licences.models import Licence, TemplateMapping
    from apps.licences.tests import factories as lf
    from apps.matters.models import ApplicationMaterial, LicenceLink

    item = f.matter(orgs["harbin_dept"])
    form = ApplicationMaterial.objects.create(implementation_item=item, name="申请书", is_required=True, order=1)
    permit = ApplicationMaterial.objects.create(implementation_item=item, name="卫生许可证", is_required=True, order=2)
    template = lf.licence_template(orgs["province"], name="卫生许可证")
    LicenceLink.objects.create(implementation_item=item, target="material", material=permit,
                               catalogue_code=template.type_code, catalogue_name=template.name,
                               index_rule=["id_number"], department=orgs["harbin_dept"])
    TemplateMapping.objects.create(template=template, issuer=orgs["harbin_dept"], item_code="X", item_name="卫生许可")
    clerk = f.clerk(orgs["harbin_dept"])

    def licence(n, holder, number):
        return Licence.objects.create(licence_code=f"LC-{number}", template=template, name=template.name,
                                      licence_number=number, holder_name=holder, holder_kind="natural_person",
                                      holder_code=f.id_number(n), issuer=orgs["harbin_dept"],
                                      valid_from=dt.date(2026, 1, 1), status="valid", created_by=clerk)

    return {"item": item, "form": form, "permit": permit, "clerk": clerk,
            "mine": licence(1, "张三1", "WS-001"), "theirs": licence(2, "张三2", "WS-002")}


def _post(s, **extra):
    return {"item": s["item"].pk, "applicant_name": "张三1", "applicant_id_number": f.id_number(1),
            "applicant_mobile": "13900000001", "received": [s["form"].pk], **extra}


@pytest.mark.spec("ACC-7.12", "ACC-19.2")
def test_window_calls_the_applicants_e_licence_compares_it_and_submits_it_as_the_material(client, setup, orgs):
    s = setup
    url = reverse("acceptance:case-intake")
    client.force_login(s["clerk"])
    page = client.get(url, {"item": s["item"].pk, "applicant": f.id_number(1)}).content.decode()
    assert f'name="licence_{s["permit"].pk}"' in page and "WS-001" in page and "WS-002" not in page
    without_id = client.get(url, {"item": s["item"].pk}).content.decode()
    assert f'name="licence_{s["permit"].pk}"' not in without_id

    field = f"licence_{s['permit'].pk}"
    # someone else's licence, a made-up code, or a holder who is not the applicant: refused, nothing written
    for data, message in ((_post(s, **{field: "LC-WS-002"}), "不是该申请人在证照库中的有效证照"),
                          (_post(s, **{field: "LC-FORGED"}), "不是该申请人在证照库中的有效证照"),
                          (_post(s, applicant_name="李四", **{field: "LC-WS-001"}), "比对未通过")):
        assert message in client.post(url, data).content.decode()
    assert not Case.objects.exists() and not CaseMaterial.objects.exists()
    # without the licence or a scan the required material is missing
    assert "缺少必要材料" in client.post(url, _post(s)).content.decode()

    response = client.post(url, _post(s, **{field: "LC-WS-001"}))
    assert response.status_code == 302
    case = Case.objects.get()
    material = case.materials.get(name="卫生许可证")
    assert material.source == "licence" and material.licence_code == "LC-WS-001" and material.received
    with material.file.open("rb") as handle:
        assert handle.read(2) == b"PK"                                       # the library's OFD (a zip)
    detail = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="licence-material"' in detail and "LC-WS-001" in detail

    # a cancelled licence is no longer offered nor accepted
    s["mine"].status = "cancelled"
    s["mine"].save(update_fields=["status"])
    page = client.get(url, {"item": s["item"].pk, "applicant": f.id_number(1)}).content.decode()
    assert "WS-001" not in page
    assert "不是该申请人" in client.post(url, _post(s, **{field: "LC-WS-001"})).content.decode()
    assert Case.objects.count() == 1

    # only window staff of the item's scope use it
    client.logout()
    assert client.get(url, {"item": s["item"].pk, "applicant": f.id_number(1)}).status_code == 302
    from apps.identity.tests.factories import UserFactory
    client.force_login(UserFactory(username="citizen_x", kind="natural_person"))
    assert client.post(url, _post(s, **{field: "LC-WS-001"})).status_code == 403
    client.force_login(f.clerk(orgs["qiqihar"], "qq_clerk"))
    client.post(url, _post(s, **{field: "LC-WS-001"}))
    assert Case.objects.count() == 1
