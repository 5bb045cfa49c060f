"""Applications: creation, configuration, developer list and detail, admin view, components, review and
listing (APP-4.1, 4.2, 4.3, 5.2, 5.4, 5.5, 5.6, APP-9)."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.mobile.models import (
    AppComponentPermission, AppReview, AppReviewStatus, Component, ListingStatus, MobileApp,
)
from apps.mobile.services import apps as svc
from apps.mobile.tests.conftest import app_data, approved_app

pytestmark = pytest.mark.django_db

CREATE_FIELDS = ["name", "identifier", "app_type", "encryption_method", "app_form", "introduction", "icon",
                 "requires_login", "requires_face", "unified_auth_integrated", "network_environment",
                 "source_package"]


def form_post(identifier="hrb.cards", **extra):
    data = app_data(identifier)
    data["app_type"] = data["app_type"].pk
    for flag in ("requires_login", "requires_face", "unified_auth_integrated"):
        data[flag] = "1" if data[flag] else "0"
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.spec("APP-4.1")
def test_creation_form_has_every_field_and_creates_the_app(client, units, media):
    client.force_login(units["harbin"])
    page = client.get(reverse("mobile:app-create")).content.decode()
    for field in CREATE_FIELDS:
        assert f'name="{field}"' in page, field
    response = client.post(reverse("mobile:app-create"), {**form_post(), "components": ["user"],
                                                          "channels": ["app", "wechat"]})
    app = MobileApp.objects.get(identifier="hrb.cards")
    assert response.status_code == 302
    assert app.organisation == units["harbin"].organisation and app.source_package and app.icon
    assert app.requires_login is True and app.requires_face is False
    assert app.versions.count() == 1 and app.component_permissions.get().component.code == "user"


@pytest.mark.spec("APP-4.1")
@pytest.mark.parametrize("missing", ["name", "identifier", "app_type", "encryption_method", "app_form",
                                     "introduction", "icon", "requires_face", "network_environment",
                                     "source_package"])
def test_creation_without_a_mandatory_field_fails_and_writes_nothing(client, units, media, missing):
    client.force_login(units["harbin"])
    data = form_post()
    data.pop(missing)
    response = client.post(reverse("mobile:app-create"), data)
    assert response.status_code == 400
    assert "此字段是必填项" in response.content.decode() or "必填" in response.content.decode() \
        or "请选择" in response.content.decode()
    assert not MobileApp.objects.exists()


@pytest.mark.spec("APP-4.2", "APP-4.3")
def test_configuration_uploads_record_a_version_and_show_in_the_detail(client, units, media, app_site):
    app, _key = svc.app_create(actor=units["harbin"], data=app_data("hrb.cfg"))
    client.force_login(units["harbin"])
    client.post(reverse("mobile:app-dev-action", args=[app.pk, "configure"]), {
        "version": "1.1.0", "url": app_site.url,
        "test_report": SimpleUploadedFile("report.pdf", b"%PDF-1.4"),
        "requirements_document": SimpleUploadedFile("req.docx", b"PK")})
    app.refresh_from_db()
    assert app.version == "1.1.0" and app.url == app_site.url and app.test_report and app.requirements_document
    page = client.get(app.get_absolute_url()).content.decode()
    for section in ("基本信息", "版本信息", "绑定接口", "组件权限", "待提交", "已上传", "1.1.0"):
        assert section in page


@pytest.mark.spec("APP-4.3")
def test_developer_list_fuzzy_search_and_no_other_units_apps(client, units, media):
    svc.app_create(actor=units["harbin"], data=app_data("hrb.a", name="哈尔滨社保卡查询"))
    svc.app_create(actor=units["harbin"], data=app_data("hrb.b", name="公积金提取"))
    svc.app_create(actor=units["qiqihar"], data=app_data("qqhr.a", name="齐齐哈尔社保查询"))
    client.force_login(units["harbin"])
    page = client.get(reverse("mobile:my-apps"), {"name": "社保"}).content.decode()
    assert "哈尔滨社保卡查询" in page and "公积金提取" not in page and "齐齐哈尔社保查询" not in page
    other = MobileApp.objects.get(identifier="qqhr.a")
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.post(reverse("mobile:app-dev-action", args=[other.pk, "delete"])).status_code == 404
    assert MobileApp.objects.filter(pk=other.pk).exists()


@pytest.mark.spec("APP-4.3")
def test_developer_modifies_and_deletes_an_app(client, units, media):
    app, _key = svc.app_create(actor=units["harbin"], data=app_data("hrb.edit"))
    client.force_login(units["harbin"])
    data = form_post("hrb.edit", name="社保查询（新版）")
    for key in ("icon", "source_package", "identifier"):
        data.pop(key)
    client.post(reverse("mobile:app-edit", args=[app.pk]), data)
    app.refresh_from_db()
    assert app.name == "社保查询（新版）"
    client.post(reverse("mobile:app-dev-action", args=[app.pk, "delete"]))
    assert not MobileApp.objects.filter(pk=app.pk).exists()


@pytest.mark.spec("APP-5.2")
def test_admin_sees_all_apps_filters_by_organisation_and_switches_a_component_off(client, units, media):
    app, _key = svc.app_create(actor=units["harbin"], data=app_data("hrb.adm"), component_codes=["user", "message"])
    svc.app_create(actor=units["qiqihar"], data=app_data("qqhr.adm", name="齐齐哈尔就业"))
    client.force_login(units["admin"])
    page = client.get(reverse("mobile:app-list")).content.decode()
    assert "hrb.adm" in page and "qqhr.adm" in page
    page = client.get(reverse("mobile:app-list"), {"organisation": units["qiqihar"].organisation_id}).content.decode()
    assert "qqhr.adm" in page and "hrb.adm" not in page
    message = Component.objects.get(code="message")
    client.post(reverse("mobile:app-admin-action", args=[app.pk, "component"]),
                {"component": message.pk, "enabled": "0"})
    assert AppComponentPermission.objects.get(app=app, component=message).enabled is False
    detail = client.get(app.get_absolute_url()).content.decode()
    assert "已关闭" in detail


@pytest.mark.spec("APP-5.2")
def test_a_developer_cannot_switch_component_permissions(client, units, media):
    app, _key = svc.app_create(actor=units["harbin"], data=app_data("hrb.dev"), component_codes=["user"])
    client.force_login(units["harbin"])
    user_component = Component.objects.get(code="user")
    response = client.post(reverse("mobile:app-admin-action", args=[app.pk, "component"]),
                           {"component": user_component.pk, "enabled": "0"})
    assert response.status_code == 403
    assert AppComponentPermission.objects.get(app=app).enabled is True


@pytest.mark.spec("APP-5.4")
def test_a_closed_component_is_not_offered_or_accepted(client, units, media):
    camera = Component.objects.get(code="camera")
    client.force_login(units["admin"])
    client.post(reverse("mobile:components-admin"), {"component": camera.pk, "is_open": "0"})
    assert Component.objects.get(pk=camera.pk).is_open is False
    client.force_login(units["harbin"])
    page = client.get(reverse("mobile:app-create")).content.decode()
    assert 'value="camera"' not in page and 'value="location"' in page
    response = client.post(reverse("mobile:app-create"), {**form_post(), "components": ["camera"]})
    assert response.status_code == 400 and not MobileApp.objects.exists()


@pytest.mark.spec("APP-5.5")
def test_review_runs_the_four_checks_stores_a_report_with_qr_and_gates_approval(client, units, media, app_site):
    app, _key = svc.app_create(actor=units["harbin"], data=app_data("hrb.rev"))
    svc.app_configure(actor=units["harbin"], app=app, data={"url": app_site.url})
    svc.app_submit(actor=units["harbin"], app=app)
    app_site.control(viewport=False)
    client.force_login(units["admin"])
    requests_before = app_site.simulator.requests
    client.post(reverse("mobile:app-admin-action", args=[app.pk, "detect"]))
    review = AppReview.objects.get(app=app)
    assert app_site.simulator.requests - requests_before >= 21         # 1 page + 20 stress requests
    assert review.connectivity_ok and review.security_ok and review.stress_ok and not review.compatibility_ok
    client.post(reverse("mobile:app-admin-action", args=[app.pk, "approve"]))
    app.refresh_from_db()
    assert app.review_status == AppReviewStatus.PENDING                  # not approvable with a failed check
    client.post(reverse("mobile:app-admin-action", args=[app.pk, "list"]))
    app.refresh_from_db()
    assert app.listing_status == ListingStatus.UNLISTED                  # only approved apps can be listed
    app_site.control(viewport=True)
    client.post(reverse("mobile:app-admin-action", args=[app.pk, "detect"]))
    client.post(reverse("mobile:app-admin-action", args=[app.pk, "approve"]))
    app.refresh_from_db()
    assert app.review_status == AppReviewStatus.APPROVED
    latest = app.reviews.first()
    report = client.get(reverse("mobile:detection-report", args=[latest.pk]))
    page = report.content.decode()
    assert "URL 连通性" in page and "兼容性检测" in page and "压力测试" in page and "data:image/svg+xml" in page
    download = client.get(reverse("mobile:detection-report", args=[latest.pk]), {"download": 1})
    assert "attachment" in download["Content-Disposition"]


@pytest.mark.spec("APP-5.5")
def test_security_check_fails_without_the_headers(units, media, app_site):
    app, _key = svc.app_create(actor=units["harbin"], data=app_data("hrb.sec"))
    svc.app_configure(actor=units["harbin"], app=app, data={"url": app_site.url})
    app_site.control(headers=False)
    review = svc.app_detect(actor=units["admin"], app=app)
    assert not review.security_ok and "X-Content-Type-Options" in review.report["security"]["detail"]


@pytest.mark.spec("APP-5.6", "APP-9")
def test_manual_listing_and_display_update_reach_every_channel_api(client, units, media, app_site):
    app, _key = approved_app(units, "hrb.list", app_site.url, listed=False)
    for channel in ("app", "wechat", "alipay"):
        assert client.get(f"/api/v1/mobile/channels/{channel}/apps/").json() == []
    client.force_login(units["admin"])
    client.post(reverse("mobile:app-admin-action", args=[app.pk, "list"]))
    client.post(reverse("mobile:app-admin-action", args=[app.pk, "display"]), {
        "url": "https://qss.hlj.gov.cn/apps/social/", "display_title": "社保查询（新）",
        "display_icon": SimpleUploadedFile("new.png", b"\x89PNG\r\n\x1a\n")})
    client.logout()
    answers = [client.get(f"/api/v1/mobile/channels/{channel}/apps/").json() for channel in ("app", "wechat", "alipay")]
    assert answers[0] == answers[1] == answers[2]
    row = answers[0][0]
    assert row["title"] == "社保查询（新）" and row["url"] == "https://qss.hlj.gov.cn/apps/social/"
    assert "new" in row["icon"] and row["maintenance"] is False
    client.force_login(units["admin"])
    client.post(reverse("mobile:app-admin-action", args=[app.pk, "delist"]), {"reason": "内容调整"})
    client.logout()
    assert client.get("/api/v1/mobile/channels/app/apps/").json() == []


@pytest.mark.spec("APP-4.3", "APP-5.2")
def test_app_lists_have_a_fixed_query_count(client, units, media, django_assert_max_num_queries):
    for n in range(8):
        svc.app_create(actor=units["harbin"], data=app_data(f"hrb.q{n}", name=f"应用{n}"))
    client.force_login(units["admin"])
    client.get(reverse("mobile:app-list"))
    with django_assert_max_num_queries(16):
        assert client.get(reverse("mobile:app-list")).status_code == 200
    client.force_login(units["harbin"])
    client.get(reverse("mobile:my-apps"))
    with django_assert_max_num_queries(16):
        assert client.get(reverse("mobile:my-apps")).status_code == 200
