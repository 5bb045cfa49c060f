"""Multi-level element control "三级N同" (MAT-2.3, 2.3.1–2.3.4) and its notifications (MAT-2.5)."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.core.models import OrganisationKind
from apps.core.tests.factories import OrganisationFactory
from apps.identity.tests.factories import StaffFactory
from apps.matters.models import ChangeRequest, ControlStatus, MatterNotification, NotificationKind
from apps.matters.services.changes import matter_change_submit
from apps.matters.services.control import (
    element_control_answer, element_control_apply, element_control_consult, element_control_permit,
    element_control_take_effect,
)
from apps.matters.services.declaration import catalogue_item_claim, catalogue_item_declare, matter_review, matter_submit
from apps.matters.tests.factories import (
    DEPARTMENT_PERMISSIONS, children, element_data, establishment_user, grant, legal_affairs_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(regions, orgs, people):
    province = regions["230000000000"]
    province_dept = OrganisationFactory(name="黑龙江省市场监督管理局", region=province)
    competent = grant(StaffFactory(username="province_scj", organisation=province_dept), *DEPARTMENT_PERMISSIONS,
                      "add_elementcontrol")
    province_bianban = grant(establishment_user(province, "province_bianban"), "permit_elementcontrol")
    legal_affairs_user(province, "province_fzb")
    item = catalogue_item_declare(actor=competent, department=province_dept, data=element_data(), children=children())
    matter_review(actor=province_bianban, item=item, approve=True)
    item.refresh_from_db()
    qiqihar_dept = people["qiqihar"].organisation
    qiqihar_bianban = establishment_user(regions["230200000000"], "qqhr_bianban")
    implementations = {}
    for key, body, reviewer in (("harbin", orgs["harbin_dept"], people["harbin_establishment"]),
                                ("daoli", orgs["daoli_dept"], people["harbin_establishment"]),
                                ("qiqihar", qiqihar_dept, qiqihar_bianban)):
        implementation = catalogue_item_claim(actor=people[key], catalogue_item=item, implementing_body=body)
        matter_submit(actor=people[key], item=implementation)
        matter_review(actor=reviewer, item=implementation, approve=True)
        implementation.refresh_from_db()
        implementations[key] = implementation
    return {"item": item, "competent": competent, "bianban": province_bianban, "impl": implementations}


@pytest.mark.spec("MAT-2.3", "MAT-2.3.1", "MAT-2.3.2", "MAT-2.3.3", "MAT-2.3.4", "MAT-2.5")
def test_controlled_element_is_locked_in_the_controlled_city_only(setting, people, regions, orgs):
    item, competent = setting["item"], setting["competent"]
    with pytest.raises(PermissionDenied):                              # a city department cannot apply
        element_control_apply(actor=people["harbin"], catalogue_item=item, elements=["handling_hours"],
                              values={"handling_hours": "x"})
    with pytest.raises(ValidationError, match="统一内容"):
        element_control_apply(actor=competent, catalogue_item=item, elements=["handling_hours"], values={})
    control = element_control_apply(actor=competent, catalogue_item=item, elements=["handling_hours"],
                                    values={"handling_hours": "工作日 8:30-17:00（全市统一）"}, reason="统一办理时间")
    with pytest.raises(ValidationError, match="不能执行此操作"):        # no consultation before permission
        element_control_consult(actor=competent, control=control, scope="partial", regions=[regions["230100000000"]])
    with pytest.raises(PermissionDenied):
        element_control_permit(actor=people["harbin_establishment"], control=control, approve=True)
    element_control_permit(actor=setting["bianban"], control=control, approve=True)
    element_control_consult(actor=competent, control=control, scope="partial", regions=[regions["230100000000"]])
    consulted = set(MatterNotification.objects.filter(kind=NotificationKind.CONSULTATION)
                    .values_list("recipient__name", flat=True))
    assert consulted == {"哈尔滨市市场监督管理局", "道里区市场监督管理局", "哈尔滨市营商环境建设监督局"}
    with pytest.raises(PermissionDenied):
        element_control_answer(actor=people["qiqihar"], control=control, region=regions["230100000000"], agree=True)
    element_control_answer(actor=people["harbin"], control=control, region=regions["230100000000"], agree=True,
                           opinion="同意")
    assert control.opinions.get().opinion == "同意"
    assert element_control_take_effect(actor=competent, control=control) == 2
    control.refresh_from_db()
    assert control.status == ControlStatus.EFFECTIVE

    daoli = setting["impl"]["daoli"]
    daoli.refresh_from_db()
    assert daoli.handling_hours == "工作日 8:30-17:00（全市统一）" and daoli.version == 2
    with pytest.raises(ValidationError, match="已由省级主管部门统一管控"):
        matter_change_submit(actor=people["daoli"], item=daoli, proposed={"handling_hours": "周一至周六"})
    assert not ChangeRequest.objects.exists()                          # nothing written
    daoli.refresh_from_db()
    assert daoli.handling_hours == "工作日 8:30-17:00（全市统一）"
    qiqihar = setting["impl"]["qiqihar"]
    change = matter_change_submit(actor=people["qiqihar"], item=qiqihar, proposed={"handling_hours": "周一至周六"})
    assert change.pk                                                   # City B still maintains it
    controlled = set(MatterNotification.objects.filter(kind=NotificationKind.CONTROLLED)
                     .values_list("recipient", flat=True))
    assert controlled == {orgs["harbin_dept"].pk, orgs["daoli_dept"].pk}
