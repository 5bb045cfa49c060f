"""Fixtures of the service map: the tender's Nangang example and a few halls elsewhere."""
from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.acceptance.models import Hall, HallStaff, HallStaffKind, Window, WindowMatter, WindowStaff
from apps.acceptance.tests import factories as af
from apps.core.models import Region
from apps.core.tests.conftest import sms_simulator  # noqa: F401 (fixture)
from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory
from apps.servicemap.models import IpRange
from tests.conftest import browser_page, playwright_driver  # noqa: F401 (fixtures)

EXTRA_REGIONS = {"231000000000": "牡丹江市", "231003000000": "阳明区", "230103001000": "花园街道",
                 "230103001001": "花园社区"}


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def map_regions(regions):
    for code, name in EXTRA_REGIONS.items():
        Region.objects.get_or_create(code=code, defaults={"name": name})
    return {**regions, **{code: Region.objects.get(code=code) for code in EXTRA_REGIONS}}


def make_hall(organisation, name, region, lng, lat, **extra) -> Hall:
    hall = af.hall(organisation, name=name, **extra)
    Hall.objects.filter(pk=hall.pk).update(region=region, longitude=Decimal(lng), latitude=Decimal(lat))
    hall.refresh_from_db()
    return hall


@pytest.fixture
def halls(map_regions, orgs):
    """The tender's three Nangang halls, a province hall, a Daoli hall, a street and a community hall,
    Qiqihar and Mudanjiang."""
    r, o = map_regions, orgs
    return {
        "citizens": make_hall(o["harbin_dept"], "哈尔滨市市民大厦", r["230100000000"], "126.6498", "45.7588",
                              telephone="0451-86660000"),
        "nangang": make_hall(o["harbin_dept"], "哈尔滨市南岗区政务服务中心", r["230103000000"], "126.6687", "45.7478"),
        "kaifaqu": make_hall(o["harbin_dept"], "哈尔滨市经济开发区政务服务大厅", r["230103000000"], "126.6905",
                             "45.7342"),
        "province": make_hall(o["province"], "黑龙江省政务服务中心", r["230000000000"], "126.6552", "45.7626"),
        "street": make_hall(o["harbin_dept"], "花园街道便民服务中心", r["230103001000"], "128.40", "44.97"),
        "community": make_hall(o["harbin_dept"], "花园社区便民服务站", r["230103001001"], "128.43", "44.99"),
        "qiqihar": make_hall(o["qiqihar"], "齐齐哈尔市政务服务中心", r["230200000000"], "123.9180", "47.3540"),
        "mudanjiang": make_hall(o["province"], "牡丹江市政务服务中心", r["231000000000"], "129.6330", "44.5520"),
    }


@pytest.fixture
def ip_table(map_regions):
    for network, code in [("221.208.0.0/16", "230100000000"), ("222.171.0.0/16", "231000000000"),
                          ("240e:3a0::/32", "230100000000")]:
        row = IpRange(network=network, region_id=code)
        row.clean()
        row.save()


@pytest.fixture
def window_setup(halls, orgs):
    """哈尔滨市市民大厦: a comprehensive window with 居民身份证申领 (bookable) and two staff."""
    hall = halls["citizens"]
    window = Window.objects.create(hall=hall, window_number="1", name="综合受理窗口", floor="1F", zone="A区",
                                   handling_location="1F A区1号窗口", supports_appointment=True,
                                   supports_consultation=True)
    matter = af.matter(orgs["harbin_dept"], "居民身份证申领")
    WindowMatter.objects.create(window=window, matter=matter)
    staff = HallStaff.objects.create(hall=hall, staff_number="S01", name="王丽", front_identifier="01号",
                                     kind=HallStaffKind.DEPARTMENT_STAFF, id_number=af.id_number(50))
    WindowStaff.objects.create(window=window, staff=staff)
    from apps.acceptance.models import BookableMatter

    bookable = BookableMatter.objects.create(hall=hall, matter=matter)
    slot = af.slot(bookable, timezone.localdate() + timedelta(days=1))
    return {"hall": hall, "window": window, "matter": matter, "staff": staff, "slot": slot}


@pytest.fixture
def applicant(db):
    return UserFactory(username="map_citizen", full_name="张晓明", kind=UserKind.NATURAL_PERSON,
                       mobile_number="13900001111", id_number=af.id_number(7))


def code_from(simulator) -> str:
    """The 6-digit code in the last SMS the gateway (simulator) received."""
    content = simulator.messages[-1]["content"]
    return re.search(r"(\d{6})", content).group(1)


@pytest.fixture
def send_code(sms_simulator, django_capture_on_commit_callbacks):
    from apps.servicemap.services import code_send

    def _send(mobile: str, purpose: str, user=None) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            code_send(mobile_number=mobile, purpose=purpose, recipient=user)
        return code_from(sms_simulator)

    return _send
