"""Fixtures shared by every app's tests: a small region tree, organisations and users."""
import pytest

from apps.core.models import Organisation, OrganisationKind, Region
from apps.core.tests.factories import OrganisationFactory
from apps.identity.tests.factories import StaffFactory, UserFactory
from apps.identity.models import UserKind


@pytest.fixture
def regions(db):
    """Heilongjiang, Harbin with two districts, Qiqihar with one district."""
    names = {
        "230000000000": "黑龙江省",
        "230100000000": "哈尔滨市",
        "230102000000": "道里区",
        "230103000000": "南岗区",
        "230200000000": "齐齐哈尔市",
        "230202000000": "龙沙区",
    }
    for code, name in names.items():
        Region.objects.get_or_create(code=code, defaults={"name": name})
    return {code: Region.objects.get(code=code) for code in names}


@pytest.fixture
def orgs(regions):
    """Province bureau, Harbin bureau, a Harbin department, a Daoli district department, Qiqihar bureau."""
    bureau = OrganisationKind.BUSINESS_ENVIRONMENT_BUREAU
    province = OrganisationFactory(name="黑龙江省营商环境建设监督局", region=regions["230000000000"], kind=bureau)
    harbin = OrganisationFactory(name="哈尔滨市营商环境建设监督局", region=regions["230100000000"], kind=bureau,
                                 parent=province)
    harbin_dept = OrganisationFactory(name="哈尔滨市市场监督管理局", region=regions["230100000000"])
    daoli_dept = OrganisationFactory(name="道里区市场监督管理局", region=regions["230102000000"],
                                     parent=harbin_dept)
    qiqihar = OrganisationFactory(name="齐齐哈尔市营商环境建设监督局", region=regions["230200000000"], kind=bureau,
                                  parent=province)
    return {"province": province, "harbin": harbin, "harbin_dept": harbin_dept, "daoli_dept": daoli_dept,
            "qiqihar": qiqihar}


@pytest.fixture
def staff(orgs):
    return {key: StaffFactory(username=f"staff_{key}", organisation=org) for key, org in orgs.items()}


@pytest.fixture
def citizen(db):
    return UserFactory(username="citizen1", kind=UserKind.NATURAL_PERSON)
