"""好差评 system management on the kernel (REV-10.1–10.6), logs (REV-7.2, 7.3) and the automatic
watch list (REV-9.4)."""
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.core.models import AuditLog
from apps.reviews.models import (
    DepartmentProfile, ReviewAnnouncement, ReviewColumn, ReviewDictionary, ReviewDictionaryEntry, WatchListEntry,
)
from apps.reviews.services.watchlist import watchlist_detect
from apps.reviews.tests.factories import World, grant, handler, rate

pytestmark = pytest.mark.django_db


def login(user):
    http = Client()
    http.force_login(user)
    return http


@pytest.fixture
def admin(orgs):
    return grant(handler(orgs["harbin"], "rev_sysadmin"), "manage_system")


@pytest.mark.spec("REV-10.1")
def test_department_order_head_contact_and_status(admin, orgs):
    from django.contrib.auth.models import Permission

    http = login(admin)
    dept = orgs["harbin_dept"]
    url = reverse("reviews:system-organisations")
    page = http.get(url).content.decode()
    assert dept.name in page and orgs["qiqihar"].name not in page  # the bureau's region only
    data = {"organisation": dept.pk, "order": 3, "head": "王五", "phone": "0451-12345678", "email": "sj@example.cn",
            "is_enabled": "on"}
    assert http.post(url, data).status_code == 302
    profile = DepartmentProfile.objects.get(organisation=dept)
    assert (profile.order, profile.head, profile.email) == (3, "王五", "sj@example.cn")
    assert http.post(url, {**data, "email": "not-an-email", "head": "赵六"}).status_code == 302
    assert DepartmentProfile.objects.get(organisation=dept).head == "王五"  # bad input, nothing written
    # disabling goes through the kernel's organisation service and its permission
    http.post(url, {**data, "is_enabled": ""})
    dept.refresh_from_db()
    assert dept.is_enabled
    admin.roles.first().permissions.add(Permission.objects.get(codename="change_organisation",
                                                               content_type__app_label="core"))
    admin.__dict__.pop("_perm_cache", None)
    login(admin).post(url, {**data, "is_enabled": ""})
    dept.refresh_from_db()
    assert not dept.is_enabled
    other = login(admin).post(url, {**data, "organisation": orgs["qiqihar"].pk})
    assert other.status_code == 404 and not DepartmentProfile.objects.filter(organisation=orgs["qiqihar"]).exists()


@pytest.mark.spec("REV-10.2", "REV-10.4")
def test_users_and_roles_with_reviews_permissions(admin, orgs, staff):
    http = login(admin)
    users = http.get(reverse("reviews:system-users")).content.decode()
    assert "rev_sysadmin" in users and "staff_harbin" not in users
    assert reverse("identity:user-edit", args=[admin.pk]) in users
    handler(orgs["qiqihar"], "qq_someone")
    assert "qq_someone" not in login(admin).get(reverse("reviews:system-users")).content.decode()
    roles = http.get(reverse("reviews:system-roles")).content.decode()
    assert "reviews.manage_system" in roles and "reviews.view_statistics" in roles


@pytest.mark.spec("REV-10.3")
def test_column_maintenance_shows_and_hides_entries(admin):
    http = login(admin)
    url = reverse("reviews:system-columns")
    assert http.post(url, {"kind": "menu", "name": "整改公示", "url": "/reviews/board/", "order": 9,
                           "is_visible": "on"}).status_code == 302
    column = ReviewColumn.objects.get(name="整改公示")
    overview = Client().get(reverse("reviews-public:overview")).content.decode()
    assert "整改公示" in overview.split('data-testid="columns"')[1].split("</nav>")[0]
    http.post(url, {"pk": column.pk, "kind": "menu", "name": "整改公示", "url": "/reviews/board/", "order": 9})
    assert "整改公示" not in Client().get(reverse("reviews-public:overview")).content.decode()
    assert http.post(url, {"kind": "menu", "name": "", "order": 1}).status_code == 400
    assert ReviewColumn.objects.filter(name="").count() == 0
    assert AuditLog.objects.filter(content_type__model="reviewcolumn", action="update").exists()


@pytest.mark.spec("REV-10.5")
def test_dictionaries_seeded_and_maintained(admin):
    codes = set(ReviewDictionary.objects.values_list("code", flat=True))
    assert {"registration_type", "id_document_type", "staff_category", "evaluation_level", "hall_type"} <= codes
    http = login(admin)
    hall_type = ReviewDictionary.objects.get(code="hall_type")
    page = http.get(reverse("reviews:system-dictionaries")).content.decode()
    assert "综合性（comprehensive）" in page
    url = reverse("reviews:system-dictionaries")
    http.post(url, {"entry-dictionary": hall_type.pk, "entry-label": "便民服务站", "entry-value": "station",
                    "entry-order": 3, "entry-status": "normal"})
    assert ReviewDictionaryEntry.objects.filter(dictionary=hall_type, value="station").exists()
    http.post(url, {"entry-dictionary": hall_type.pk, "entry-label": "重复", "entry-value": "station",
                    "entry-order": 4, "entry-status": "normal"})
    assert ReviewDictionaryEntry.objects.filter(dictionary=hall_type, value="station").count() == 1
    http.post(url, {"pk": hall_type.pk, "name": "大厅类型", "code": "hall_type", "status": "closed", "remarks": "停用"})
    hall_type.refresh_from_db()
    assert hall_type.status == "closed"


@pytest.mark.spec("REV-10.6")
def test_announcements_normal_shown_closed_hidden(admin, staff):
    http = login(admin)
    url = reverse("reviews:system-announcements")
    http.post(url, {"title": "好差评系统升级通知", "kind": "notice", "content": "今晚22时升级", "status": "normal"})
    announcement = ReviewAnnouncement.objects.get()
    assert announcement.created_by == admin
    assert "好差评系统升级通知" in Client().get(reverse("reviews-public:overview")).content.decode()
    http.post(url, {"pk": announcement.pk, "title": "好差评系统升级通知", "kind": "notice", "content": "今晚22时升级",
                    "status": "closed"})
    assert "好差评系统升级通知" not in Client().get(reverse("reviews-public:overview")).content.decode()
    assert login(staff["harbin"]).get(url).status_code == 403
    assert login(staff["harbin"]).post(url, {"title": "x", "kind": "notice", "content": "y",
                                            "status": "normal"}).status_code == 403
    assert ReviewAnnouncement.objects.count() == 1
    assert Client().get(url).status_code == 302


@pytest.mark.spec("REV-7.2", "REV-7.3")
def test_operation_and_login_logs(admin, orgs):
    from apps.acceptance.models import Hall
    from apps.acceptance.services.halls import reference_save
    from apps.acceptance.tests.factories import manager

    hall_manager = manager(orgs["harbin_dept"], "hall_manager_rev")
    hall = Hall(name="南岗区政务服务中心", hall_number="HNG01", region=orgs["harbin_dept"].region,
                organisation=orgs["harbin_dept"], address="南岗区1号")
    reference_save(instance=hall, actor=hall_manager, permission="acceptance.add_hall")
    login(admin)  # a login of the 好差评 administrator
    http = login(admin)
    operations = http.get(reverse("reviews:system-logs")).content.decode()
    assert "南岗区政务服务中心" in operations and "新增" in operations
    logins = http.get(reverse("reviews:system-logs"), {"kind": "login"}).content.decode()
    rows = logins.split('data-testid="logs"')[1]
    assert "rev_sysadmin" in rows and "登录" in rows and "南岗区政务服务中心" not in rows


@pytest.mark.spec("REV-9.4")
def test_watch_list_detects_bursts_and_repeated_raters(orgs, citizen, django_user_model):
    w = World(orgs["harbin_dept"])
    quiet = World(orgs["harbin_dept"])
    start = timezone.now() - timedelta(hours=2)
    for n in range(5):  # five good window ratings within eight minutes
        rate("window", w.window, 1, when=start + timedelta(minutes=2 * n))
    for n in range(3):  # one account praising the same staff three times, days apart
        rate("staff", w.staff, 2, channel="app", evaluator=citizen, when=start - timedelta(days=n + 1))
    for n in range(4):  # ordinary good ratings an hour apart
        rate("window", quiet.window, 1, when=start + timedelta(hours=n))
    added = watchlist_detect()
    assert {(e.window_id, e.staff_id) for e in added} == {(w.window.pk, None), (None, w.staff.pk)}
    assert all(e.is_automatic for e in added)
    assert "集中出现 5 条好评" in WatchListEntry.objects.get(window=w.window).reason
    assert "3 次给予好评" in WatchListEntry.objects.get(staff=w.staff).reason
    assert watchlist_detect() == [] and WatchListEntry.objects.count() == 2  # no duplicates
    manager = handler(orgs["harbin"], "watch_mgr")
    http = login(manager)
    page = http.get(reverse("reviews:watchlist")).content.decode()
    assert "系统自动发现" in page and w.window.name in page
    outsider = handler(orgs["qiqihar"], "watch_qq")
    assert w.window.name not in login(outsider).get(reverse("reviews:watchlist")).content.decode()
    entry = WatchListEntry.objects.get(window=w.window)
    assert login(outsider).post(reverse("reviews:watchlist"), {"entry": entry.pk}).status_code == 403
    http.post(reverse("reviews:watchlist"), {"entry": entry.pk})
    entry.refresh_from_db()
    assert not entry.is_active
