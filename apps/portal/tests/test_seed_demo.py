"""seed_demo: a believable province for the demo; idempotent; its accounts can log in."""
import pytest
from django.core.management import call_command

from apps.portal.demo.accounts import build_many_users
from apps.portal.demo.data import DEMO_PASSWORD
from apps.core.models import DataSourceCode, Organisation, Region
from apps.core.validators import validate_credit_code, validate_id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(capsys):
    call_command("seed_demo", "--small")
    capsys.readouterr()


@pytest.mark.spec("PORTAL-8.2", "PORTAL-7.9")
def test_small_seed_builds_a_province_of_valid_organisations(seeded):
    assert Region.objects.filter(level__lte=3).count() == 135      # province, 13 cities + 大兴安岭, 121 counties
    assert Region.objects.filter(level__gt=3).count() == 2         # the service map's township and village halls
    assert Organisation.objects.count() == 16 + 13 * 7 + 121 * 3
    for code in Organisation.objects.values_list("credit_code", flat=True):
        validate_credit_code(code)
        assert code.startswith("11")                      # government bodies
    daoli = Organisation.objects.select_related("parent").get(name="道里区市场监督管理局")
    assert daoli.parent.name == "哈尔滨市市场监督管理局" and daoli.region_id == "230102000000"
    for organisation in Organisation.objects.select_related("parent").exclude(parent=None):
        assert organisation.tree_path == f"{organisation.parent.tree_path}{organisation.pk}/"
    assert Organisation.objects.filter(name="鹤岗市向阳区市场监督管理局").exists()   # same county name twice
    assert DataSourceCode.objects.filter(region__isnull=False).count() == 13
    assert DataSourceCode.objects.filter(organisation__isnull=False).count() == 15


def test_seed_is_idempotent_and_if_empty_skips(seeded, capsys):
    counts = (Organisation.objects.count(), DataSourceCode.objects.count())
    call_command("seed_demo", "--small", "--if-empty")
    assert "已存在，跳过" in capsys.readouterr().out
    call_command("seed_demo")
    assert (Organisation.objects.count(), DataSourceCode.objects.count()) == counts


def test_demo_accounts_can_log_in(seeded, client, capsys):
    from apps.identity.models import User

    for username in ("province_admin", "harbin_staff", "daoli_clerk"):
        assert client.login(username=username, password=DEMO_PASSWORD), username
        assert client.get("/portal/").status_code == 200
    admin = User.objects.get(username="province_admin")
    assert admin.is_staff and admin.is_system_admin and admin.has_perm("core.review_organisationchangerequest")
    client.login(username="province_admin", password=DEMO_PASSWORD)
    assert client.get("/admin/core/region/").status_code == 200
    citizen = User.objects.get(username="citizen_demo")
    validate_id_number(citizen.id_number)
    assert citizen.masked_id_number.startswith("2301") and "*" in citizen.masked_id_number
    assert User.objects.with_id_number(citizen.id_number).get() == citizen
    validate_credit_code(User.objects.get(username="enterprise_demo").credit_code)
    assert client.login(username="citizen_demo", password=DEMO_PASSWORD)
    call_command("print_demo_logins")
    table = capsys.readouterr().out
    for text in ("province_admin", "harbin_staff", "daoli_clerk", "citizen_demo", "enterprise_demo", DEMO_PASSWORD,
                 "http://127.0.0.1:8000/portal/", "http://127.0.0.1:8000/", "HLJDEMOTOTPKEYFORPROVINCEADMIN23"):
        assert text in table
    # the province administrator's authenticator is the demo one: its current code is what the command prints
    from apps.identity.models import StaffTotpDevice

    assert StaffTotpDevice.objects.get(user__username="province_admin").confirmed_at is not None
    call_command("demo_totp_code")
    code = capsys.readouterr().out.strip()
    assert len(code) == 6 and code.isdigit()


def test_clerk_sees_its_district_and_harbin_sees_its_city(seeded, client):
    from apps.core.scope import restrict
    from apps.identity.models import User

    clerk, harbin = User.objects.get(username="daoli_clerk"), User.objects.get(username="harbin_staff")
    # a department sees the organisations of its own region (apps.core.scope), not the city's
    assert set(restrict(Organisation.objects.all(), clerk).values_list("region_id", flat=True)) == {"230102000000"}
    assert set(restrict(Organisation.objects.all(), harbin).values_list("region_id", flat=True)) == set(
        Region.objects.filter(code__startswith="2301", level__in=[2, 3]).values_list("code", flat=True))


def test_bulk_users_path_used_by_large(seeded):
    from apps.identity.models import User

    made = build_many_users(total=60, staff_per_organisation=0, log=lambda *_: None)
    assert made == 60
    citizen = User.objects.get(username="bulk_p000007")
    validate_id_number(citizen.id_number)
    assert User.objects.with_mobile_number(citizen.mobile_number).get() == citizen
    assert citizen.check_password(DEMO_PASSWORD)


def test_demo_province_admin_finds_pending_work_in_the_inbox(seeded, client):
    from apps.core.models import SmsSchedule
    from apps.identity.models import User

    assert client.login(username="province_admin", password=DEMO_PASSWORD)
    page = client.get("/portal/").content.decode()
    assert "哈尔滨市数据局" in page                      # organisation change request awaiting review
    assert "数据资源共享系统" in page                   # system access request awaiting approval
    assert User.objects.get(username="daoli_clerk").masked_mobile_number == "139****0012"
    assert SmsSchedule.objects.get().times.count() == 2


@pytest.mark.spec("PORTAL-11.2", "PORTAL-11.5")
def test_demo_monthly_reports_fill_three_months_with_some_units_missing(seeded, client):
    from apps.portal.models import MonthlyCaseReport, MonthlyReportLock
    from apps.portal.services import fillable_months, previous_month

    last = fillable_months()[1]
    oldest = previous_month(previous_month(last))
    months = set(MonthlyCaseReport.objects.values_list("month", flat=True))
    assert months == {last, previous_month(last), oldest}
    assert MonthlyReportLock.objects.filter(month=oldest).exists()
    assert set(MonthlyCaseReport.objects.values_list("variant", flat=True)) == {
        "central_provincial", "city_bureau", "city_other"}
    call_command("seed_demo", "--small")                 # idempotent: no second report per unit and month
    assert set(MonthlyCaseReport.objects.values_list("month", flat=True)) == months
    assert client.login(username="harbin_staff", password=DEMO_PASSWORD)
    page = client.get("/portal/monthly/statistics/city-bureau/", {"month_from": f"{last:%Y-%m}",
                                                                  "month_to": f"{last:%Y-%m}"})
    assert page.status_code == 200
    assert [city.name for city, *_rest in page.context["cities"]] == ["哈尔滨市"]
    assert page.context["missing"].paginator.count > 0   # the filling-progress list has something to show
    assert client.get("/portal/monthly/fill/").status_code == 200


@pytest.mark.spec("PORTAL-5.1")
def test_seed_publishes_home_page_columns_idempotently(seeded, client):
    from apps.portal.models import Article, ContentColumn

    counts = (ContentColumn.objects.count(), Article.objects.count())
    assert counts == (6, 11)                              # with the two public-zone columns (PORTAL-0.2)
    assert ContentColumn.objects.get(name="市地动态").parent.name == "工作动态"
    call_command("seed_demo", "--small")
    assert (ContentColumn.objects.count(), Article.objects.count()) == counts
    assert client.login(username="harbin_staff", password=DEMO_PASSWORD)
    home = client.get("/portal/").content.decode()
    assert "政务要闻" in home and "关于做好办件月报填报工作的通知" in home
    assert "绥芬河口岸货物通关指南" not in home                      # a public-zone column, not the portal's


@pytest.mark.spec("PORTAL-0.2")
def test_seed_fills_the_free_trade_and_russia_zones(seeded, client, settings):
    assert "黑龙江自贸试验区哈尔滨片区企业开办一日办结" in client.get("/zones/ftz/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    assert "Руководство по таможенному оформлению грузов" in client.get("/zones/russia/").content.decode()
