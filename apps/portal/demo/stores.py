"""Demo flagship stores (STORE-1.x … 6): the 13 cities' city / county / township template sets, a template
and a store for each provincial department, the Harbin city store and the Daoli district store with
services, columns and articles; the special zones' lists, partner sites, search keyword associations,
recommended matters and the proofs lists. Idempotent (get_or_create on natural keys). Demo data is
written directly, like the other demo modules; every user-facing write goes through apps.stores.services."""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from apps.portal.demo.data import PROVINCE_BUREAU

DEPARTMENT_STORES = [("黑龙江省公安厅", "gat", "公"), ("黑龙江省人力资源和社会保障厅", "rst", "人"),
                     ("黑龙江省市场监督管理局", "scj", "市"), ("黑龙江省住房和城乡建设厅", "zjt", "住"),
                     ("黑龙江省卫生健康委员会", "wjw", "卫"), ("黑龙江省医疗保障局", "ybj", "医"),
                     ("黑龙江省民政厅", "mzt", "民"), ("黑龙江省税务局", "swj", "税")]
SERVICES = [("户籍业务办理", "户", True), ("出入境证件申领", "出", True), ("机动车业务预约", "车", False),
            ("社保关系转移接续", "保", True), ("企业开办一网通办", "企", True), ("公积金提取", "金", False)]
ELDERLY = [("老年人优待证办理", "优待服务", "证", True), ("高龄津贴申领", "优待服务", "贴", True),
           ("养老金领取资格认证", "社保服务", "保", True), ("医保异地就医备案", "医疗服务", "医", True),
           ("居民身份证换领", "证件办理", "身", False), ("公交老年卡办理", "出行服务", "车", False)]
PROVINCE_WIDE = [("社保卡申领", "社会保障", ["全省通办", "网上可办"], True), ("失业登记", "社会保障", ["全省通办"], False),
                 ("营业执照变更登记", "市场主体", ["全省通办", "网上可办", "即办件"], True),
                 ("不动产登记资料查询", "不动产", ["全省通办"], False)]
CROSS = [("异地就医结算备案", "医疗保障", "吉林省", True), ("养老保险关系转移", "社会保障", "辽宁省", True),
         ("户口迁移", "户籍", "内蒙古自治区", False), ("机动车驾驶证补领", "交通", "海南省", True)]
PARTNERS = [("jilin", "吉林省政务服务网", "https://zwfw.jl.gov.cn/", False),
            ("liaoning", "辽宁政务服务网", "https://www.lnzwfw.gov.cn/", False),
            ("neimenggu", "内蒙古政务服务网", "https://zwfw.nmg.gov.cn/", False),
            ("hainan", "海南政务服务网", "https://wssp.hainan.gov.cn/", False),
            ("national-kstb", "国家政务服务平台跨省通办专区", "https://gjzwfw.www.gov.cn/kstb/", True)]
KEYWORDS = {"开饭店": ["食品经营许可", "餐饮"], "开公司": ["营业执照", "企业开办", "设立登记"],
            "老年卡": ["老年人优待证", "公交老年卡"], "退休": ["养老金", "养老保险"]}
PROOFS = [("无犯罪记录证明", "retained", "《公安机关办理犯罪记录查询工作规定》", ""),
          ("出生医学证明", "retained", "《中华人民共和国母婴保健法》", ""),
          ("亲属关系证明", "voided", "", "改为申请人书面承诺或部门间核验"),
          ("无房证明", "voided", "", "通过不动产登记信息共享核验"),
          ("居住证明", "voided", "", "以居住证或告知承诺替代"),
          ("健在证明", "voided", "", "以人脸识别资格认证替代")]
PHONES = {"enquiry_phone": "0451-12345", "support_phone": "0451-82620000", "conditions": "持本人有效身份证件，材料齐全",
          "notes": "网上申请后请留意短信通知；如需现场办理请先预约。"}


def build_stores(log=print) -> int:
    from apps.core.models import Organisation, Region, RegionLevel
    from apps.stores.models import FlagshipStore, StoreLevel, StoreTemplate

    province = Region.objects.filter(code="230000000000").first()
    bureau = Organisation.objects.filter(name=PROVINCE_BUREAU).first()
    if province is None or bureau is None:
        log("旗舰店：未找到演示区划或机构，跳过")
        return 0
    for city in Region.objects.filter(level=RegionLevel.CITY, code__startswith="23").order_by("code"):
        for level in (StoreLevel.CITY, StoreLevel.COUNTY, StoreLevel.TOWNSHIP):
            StoreTemplate.objects.get_or_create(level=level, city=city, defaults={
                "name": f"{city.name}{StoreLevel(level).label}旗舰店模板", "sections": _sections(level)})
    created = 0
    for order, (name, slug, icon) in enumerate(DEPARTMENT_STORES):
        dept = Organisation.objects.filter(name=name).first()
        if dept is None:
            continue
        template, _ = StoreTemplate.objects.get_or_create(
            level=StoreLevel.PROVINCIAL_DEPARTMENT, organisation=dept,
            defaults={"name": f"{dept.short_name or dept.name}旗舰店模板", "theme_colour": "#0b4a8b",
                      "sections": _sections(StoreLevel.PROVINCIAL_DEPARTMENT)})
        created += _store(slug, f"{dept.name}旗舰店", StoreLevel.PROVINCIAL_DEPARTMENT, dept, province, template,
                          icon, order)
    harbin = Region.objects.filter(code="230100000000").first()
    daoli = Region.objects.filter(code="230102000000").first()
    harbin_bureau = Organisation.objects.filter(name="哈尔滨市营商环境建设监督局").first() or bureau
    if harbin is not None:
        created += _store("harbin", "哈尔滨市旗舰店", StoreLevel.CITY, harbin_bureau, harbin,
                          StoreTemplate.objects.get(level=StoreLevel.CITY, city=harbin), "哈", 0)
    if daoli is not None and harbin is not None:
        daoli_bureau = Organisation.objects.filter(region=daoli, kind="business_environment_bureau").first() \
            or harbin_bureau
        created += _store("daoli", "道里区旗舰店", StoreLevel.COUNTY, daoli_bureau, daoli,
                          StoreTemplate.objects.get(level=StoreLevel.COUNTY, city=harbin), "道", 1)
    _zones(bureau)
    _portal_content(bureau)
    log(f"旗舰店：新增 {created} 个，共 {FlagshipStore.objects.count()} 个；模板 {StoreTemplate.objects.count()} 套")
    return created


def _sections(level: str) -> list[str]:
    base = ["banner", "high_frequency", "services", "columns"]
    return [*base, "sub_stores", "contact"] if level in ("city", "county") else [*base, "contact"]


def _store(slug, name, level, organisation, region, template, icon, order) -> int:
    from apps.stores.models import ArticleStatus, FlagshipStore, StoreArticle, StoreColumn, StoreService

    store, made = FlagshipStore.objects.get_or_create(slug=slug, defaults={
        "name": name, "title": name, "level": level, "organisation": organisation, "region": region,
        "template": template, "icon": icon, "order": order, "is_published": True, "contact_phone": "0451-12345",
        "description": f"{name}汇聚{organisation.name}的政务服务事项，省统一身份认证一次登录、全网通办。"})
    if not made:
        return 0
    for index, (title, service_icon, high) in enumerate(SERVICES[(order % 3):(order % 3) + 4]):
        StoreService.objects.create(store=store, title=title, icon=service_icon, is_high_frequency=high, order=index,
                                    description=f"{title}：网上申请、进度查询、结果送达。", is_published=True,
                                    handling_url=f"https://zwfw.hlj.gov.cn/{slug}/{index}", **PHONES)
    column = StoreColumn.objects.create(store=store, name="通知公告")
    now = timezone.now()
    for days, title in enumerate((f"{name}上线运行", "关于优化政务服务事项办理流程的公告")):
        StoreArticle.objects.create(column=column, title=title, body=f"{title}。\n（演示数据）",
                                    status=ArticleStatus.PUBLISHED, published_at=now - timedelta(days=days))
    return 1


def _zones(bureau) -> None:
    from apps.matters.models import ImplementationItem
    from apps.stores.models import PartnerProvinceSite, Zone, ZoneMatter

    def item_named(name):
        word = name[:4]
        return ImplementationItem.objects.published().filter(name__contains=word).first()

    for order, (name, classification, icon, connected) in enumerate(ELDERLY):
        ZoneMatter.objects.get_or_create(zone=Zone.ELDERLY, name=name, defaults={
            "classification": classification, "icon": icon, "order": order, "supplying_department": bureau,
            "is_identity_connected": connected, "implementation_item": item_named(name),
            "handling_url": f"https://zwfw.hlj.gov.cn/elder/{order}" if connected else ""})
    for order, (name, classification, flags, connected) in enumerate(PROVINCE_WIDE):
        ZoneMatter.objects.get_or_create(zone=Zone.PROVINCE_WIDE, name=name, defaults={
            "classification": classification, "attribute_flags": flags, "order": order, "supplying_department": bureau,
            "is_identity_connected": connected, "handling_url": f"https://zwfw.hlj.gov.cn/qstb/{order}" if connected else ""})
    for order, (name, classification, province, connected) in enumerate(CROSS):
        for zone in (Zone.CROSS_PROVINCE, Zone.REGIONAL):
            ZoneMatter.objects.get_or_create(zone=zone, name=name, defaults={
                "classification": classification, "partner_province": province, "order": order,
                "supplying_department": bureau, "is_identity_connected": connected,
                "handling_url": f"https://zwfw.hlj.gov.cn/kstb/{order}" if connected else ""})
    for order, (code, name, url, national) in enumerate(PARTNERS):
        PartnerProvinceSite.objects.get_or_create(code=code, defaults={"name": name, "home_url": url, "order": order,
                                                                       "is_national_zone": national})


def _portal_content(bureau) -> None:
    from apps.matters.models import ImplementationItem
    from apps.stores.models import KeywordAssociation, ProofListEntry, RecommendedMatter

    for keyword, words in KEYWORDS.items():
        KeywordAssociation.objects.get_or_create(keyword=keyword, defaults={"associated_words": words})
    today = timezone.localdate()
    for order, item in enumerate(ImplementationItem.objects.published().select_related("implementing_body")
                                 .order_by("implementation_code")[:6]):
        RecommendedMatter.objects.get_or_create(matter_code=item.implementation_code + "01", defaults={
            "implementation_item": item, "name": item.name, "department_name": item.implementing_body.name,
            "order": order, "valid_from": today - timedelta(days=30), "valid_to": today + timedelta(days=90)})
    for name, status, basis, notes in PROOFS:
        ProofListEntry.objects.get_or_create(name=name, defaults={"status": status, "department": bureau,
                                                                  "basis": basis, "notes": notes})
