"""Demo data of the 全省事 mobile platform (apps/mobile): a catalogue, interface resources of provincial
departments, two apps with components, bindings, subscriptions and a week of traffic. Upstreams and app sites
point at `manage.py run_mobile_simulators` (Procfile.dev `mobile-sims`)."""
from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

UPSTREAM = "http://127.0.0.1:8077"
APP_SITE = "http://127.0.0.1:8078"
DEMO_KEY = "demo-app-key-qss-2026"      # the demo app's key (docs/mobile.md), for trying the gateway by hand
RESOURCES = [
    # organisation, code, name, category, status, public
    ("黑龙江省人力资源和社会保障厅", "hrss-social-payment", "社保缴费记录查询", "social_security", "published", True),
    ("黑龙江省人力资源和社会保障厅", "hrss-employment", "就业登记查询", "employment", "published", True),
    ("黑龙江省公安厅", "police-household", "户籍证明查询", "identity", "published", False),
    ("黑龙江省住房和城乡建设厅", "housing-fund-balance", "公积金余额查询", "housing_fund", "pending_review", True),
]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def build_mobile(*, log=print) -> None:
    from django.contrib.auth.models import Permission

    from apps.core.models import Organisation
    from apps.identity.models import Role, User
    from apps.mobile import models as m
    from apps.mobile.services.apps import key_digest
    from apps.mobile.transport import derive_transport_key

    if m.InterfaceResource.objects.filter(code=RESOURCES[0][1]).exists():
        log("移动端：演示数据已存在")
        return
    orgs = {o.name: o for o in Organisation.objects.filter(name__in={r[0] for r in RESOURCES})}
    if len(orgs) < 3:
        log("移动端：缺少演示机构，跳过")
        return
    role, _ = Role.objects.get_or_create(code="mobile_developer", defaults={"name": "移动端开发者"})
    role.permissions.set(Permission.objects.filter(content_type__app_label="mobile",
                                                   codename__in=["manage_interfaces", "develop_apps"]))
    for user in User.objects.filter(username__in=["harbin_staff", "daoli_clerk"]):
        user.roles.add(role)
    hrss = orgs["黑龙江省人力资源和社会保障厅"]
    catalogue = m.ResourceCatalogue.objects.create(organisation=hrss, code="hrss-catalogue", name="人社服务接口目录",
                                                   is_published=True)
    categories = {c.code: c for c in m.InterfaceCategory.objects.all()}
    now = timezone.now()
    resources = {}
    for org_name, code, name, category, status, public in RESOURCES:
        published = status == "published"
        resources[code] = m.InterfaceResource.objects.create(
            organisation=orgs[org_name], category=categories[category], code=code, name=name,
            upstream_url=f"{UPSTREAM}/{code}", status=status, is_public=public, is_listed=published,
            published_at=now if published else None, health="healthy" if published else "pending",
            catalogue=catalogue if org_name == hrss.name and published else None,
            internet_url=f"http://127.0.0.1:8000/api/v1/mobile/gateway/{code}/" if org_name == hrss.name else "")
    app_types = {t.code: t for t in m.AppType.objects.all()}
    social = _app(m, hrss, "社保查询", "hlj.hrss.social", app_types["social_security"], "approved", "listed",
                  key_digest(DEMO_KEY), derive_transport_key(DEMO_KEY))
    housing = _app(m, orgs["黑龙江省住房和城乡建设厅"], "公积金提取", "hlj.housing.fund", app_types["housing"],
                   "pending", "unlisted", key_digest(DEMO_KEY + "-2"), derive_transport_key(DEMO_KEY + "-2"))
    components = {c.code: c for c in m.Component.objects.all()}
    for app, codes in ((social, ["user", "message", "location"]), (housing, ["user", "upload"])):
        m.AppComponentPermission.objects.bulk_create(
            [m.AppComponentPermission(app=app, component=components[c]) for c in codes])
        app.channels.set(m.Channel.objects.all())
    for code in ("hrss-social-payment", "hrss-employment"):
        m.InterfaceSubscription.objects.create(organisation=hrss, resource=resources[code], status="approved",
                                               purpose="社保查询应用使用", reviewed_at=now)
        m.AppInterfaceBinding.objects.create(app=social, resource=resources[code])
    m.InterfaceSubscription.objects.create(organisation=housing.organisation, resource=resources["hrss-employment"],
                                           purpose="公积金提取核验就业状态")
    today = timezone.localdate()
    for n in range(7):
        day = today - timedelta(days=n)
        m.InterfaceCallDay.objects.create(resource=resources["hrss-social-payment"], day=day, calls=120 + 17 * n,
                                          failures=n % 3)
        m.AppVisitDay.objects.create(app=social, day=day, opens=80 + 9 * n, gateway_calls=120 + 17 * n,
                                      duration_seconds=(80 + 9 * n) * 190)
    log(f"移动端：接口资源 {len(resources)} 个，应用 2 个（演示应用密钥 {DEMO_KEY}）")


def _app(m, organisation, name, identifier, app_type, review, listing, digest, transport_key):
    app = m.MobileApp(organisation=organisation, name=name, identifier=identifier, app_type=app_type,
                      encryption_method="sm4", app_form="h5", introduction=f"{name}：全省事演示应用。",
                      requires_login=True, requires_face=False, unified_auth_integrated=True,
                      network_environment="internet", url=f"{APP_SITE}/{identifier}/", review_status=review,
                      listing_status=listing, key_digest=digest, transport_key=transport_key, health="healthy" if listing == "listed" else "pending")
    app.icon.save(f"{identifier}.png", ContentFile(PNG), save=False)
    app.source_package.save(f"{identifier}.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18), save=False)
    app.save()
    m.AppVersion.objects.create(app=app, version=app.version, note="创建应用")
    return app
