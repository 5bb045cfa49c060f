"""MAT-4.1 end to end against the real licences app: materials and results linked to its catalogue; at
application the applicant's licences are referenced by the link's index rule; when approval completes the
result is filed into the e-licence library as a draft for licence staff."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.matters.services.declaration import catalogue_item_claim
from apps.matters.services.licence_use import licence_result_file, licences_for_application
from apps.matters.services.resources import licence_link_create

pytestmark = pytest.mark.django_db

COMPANY = "91230100MA1B2C3D4E"


def _valid_licence(template, issuer, actor, holder_code, number):
    """A licence already in the library (issued and sealed earlier), shareable for its issuer."""
    from apps.licences.models import Licence, TemplateMapping

    TemplateMapping.objects.get_or_create(template=template, issuer=issuer,
                                          defaults={"item_code": "X", "item_name": template.name})
    return Licence.objects.create(licence_code=f"LC-{number}", template=template, name=template.name,
                                  licence_number=number, holder_name="哈尔滨冰城餐饮有限公司",
                                  holder_kind="legal_person", holder_code=holder_code, issuer=issuer,
                                  valid_from=dt.date(2026, 1, 1), status="valid", created_by=actor)


@pytest.mark.spec("MAT-4.1")
def test_linked_material_is_referenced_at_application_and_result_filed_on_approval(
        licence_system, published_item, people, orgs):
    from apps.licences.models import Licence

    item = catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item,
                                implementing_body=orgs["daoli_dept"])
    business_licence = licence_system.add_entry(f"{orgs['province'].credit_code}002", "营业执照")
    food_licence = licence_system.add_entry(f"{orgs['province'].credit_code}001", "食品经营许可证")
    material = item.materials.get(name="营业执照")
    licence_link_create(actor=people["daoli"], item=item, catalogue_code=business_licence.type_code,
                        target="material", material=material, index_rule=["credit_code"])
    licence_link_create(actor=people["daoli"], item=item, catalogue_code=food_licence.type_code, target="result",
                        index_rule=["credit_code"])
    staff = licence_system.administrator()
    held = _valid_licence(business_licence, orgs["harbin_dept"], staff, COMPANY, "BL-001")
    _valid_licence(business_licence, orgs["harbin_dept"], staff, "91230100MA0000000X", "BL-002")   # someone else's
    _valid_licence(food_licence, orgs["harbin_dept"], staff, COMPANY, "FL-001")     # not a linked material entry
    # (2) at application: the applicant's business licence is referenced, nobody else's
    found = licences_for_application(item=item, applicant={"credit_code": COMPANY})
    assert found == [{"material": "营业执照", "catalogue_code": business_licence.type_code, "catalogue_name": "营业执照",
                      "index_rule": ["credit_code"],
                      "licences": [{"licence_code": held.licence_code, "name": "营业执照", "licence_number": "BL-001",
                                    "holder_name": "哈尔滨冰城餐饮有限公司", "issuer": orgs["harbin_dept"].name}]}]
    assert licences_for_application(item=item, applicant={"id_number": "230102199001011234"})[0]["licences"] == []
    # (1) approval completes: the result goes into the licence library's drafts box
    drafts_before = Licence.objects.filter(status="draft").count()
    with pytest.raises(ValidationError, match="持证主体"):
        licence_result_file(actor=staff, item=item, holder_name="", holder_code=COMPANY, case_number="C1")
    assert Licence.objects.filter(status="draft").count() == drafts_before
    filed = licence_result_file(actor=staff, item=item, holder_name="哈尔滨冰城餐饮有限公司", holder_code=COMPANY,
                                case_number="HLJ2026000123", issuer=orgs["daoli_dept"])
    assert len(filed) == 1
    draft = Licence.objects.get(pk=filed[0].pk)
    assert (draft.status, draft.template_id, draft.licence_number, draft.holder_code, draft.issuer_id) == (
        "draft", food_licence.pk, "HLJ2026000123", COMPANY, orgs["daoli_dept"].pk)
    # an entry the licence side withdrew: nothing is filed
    food_licence.is_valid = False
    food_licence.save(update_fields=["is_valid"])
    with pytest.raises(ValidationError, match="已失效"):
        licence_result_file(actor=staff, item=item, holder_name="某公司", holder_code=COMPANY, case_number="C2")
    assert Licence.objects.filter(status="draft").count() == drafts_before + 1


def test_item_without_result_link_files_nothing(licence_system, published_item, people, orgs):
    item = catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item,
                                implementing_body=orgs["daoli_dept"])
    with pytest.raises(ValidationError, match="未关联电子证照目录"):
        licence_result_file(actor=licence_system.administrator(), item=item, holder_name="某公司",
                            holder_code=COMPANY, case_number="C1")
