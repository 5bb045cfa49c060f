"""Seed the department systems of IDN-9.1 (13 cities), IDN-9.2 (17 provincial departments) and the
two staff systems of IDN-13.3/13.4 as client systems, each with its own OIDC application.

Secrets are random here and known to nobody: an administrator resets them (the portal shows a new
secret once) and fills in the redirect URIs when the system connects."""
import secrets

from django.db import migrations

CITIES = [
    ("230600000000", "daqing", "大庆市", ["unified", "housing"]),
    ("232700000000", "daxinganling", "大兴安岭地区", ["unified", "housing"]),
    ("230400000000", "hegang", "鹤岗市", ["unified", "housing"]),
    ("231100000000", "heihe", "黑河市", ["unified", "housing"]),
    ("230300000000", "jixi", "鸡西市", ["unified", "housing"]),
    ("230800000000", "jiamusi", "佳木斯市", ["unified", "construction", "environment"]),
    ("231000000000", "mudanjiang", "牡丹江市", ["unified_business", "housing"]),
    ("230500000000", "shuangyashan", "双鸭山市", ["unified", "housing"]),
    ("231200000000", "suihua", "绥化市", ["unified", "housing"]),
    ("230700000000", "yichun", "伊春市", ["unified", "housing"]),
    ("230900000000", "qitaihe", "七台河市", ["environment", "acceptance", "housing", "departments", "city_identity"]),
    ("230200000000", "qiqihar", "齐齐哈尔市", ["unified_business", "housing"]),
    ("230100000000", "harbin", "哈尔滨市", ["unified"]),
]
CITY_SYSTEMS = {
    "unified": ("统一政务业务办理系统", "{city}人民政府"),
    "unified_business": ("统一业务办理系统", "{city}人民政府"),
    "housing": ("住房和城乡建设局业务系统", "{city}住房和城乡建设局"),
    "construction": ("城乡建设局业务系统", "{city}城乡建设局"),
    "environment": ("营商环境建设监督局业务系统", "{city}营商环境建设监督局"),
    "acceptance": ("政务服务网业务受理系统", "{city}营商环境建设监督局"),
    "departments": ("其他部门业务系统", "{city}人民政府"),
    "city_identity": ("市级统一身份认证", "{city}人民政府"),
}
DEPARTMENTS = [
    ("tax", "国家税务总局黑龙江省电子税务局", "国家税务总局黑龙江省税务局"),
    ("tobacco", "黑龙江行政审批系统", "黑龙江省烟草专卖局"),
    ("ndrc", "黑龙江省投资项目在线审批监管平台", "黑龙江省发展和改革委员会"),
    ("housing", "住房和城乡建设政务服务管理信息系统", "黑龙江省住房和城乡建设厅"),
    ("natural_resources", "自然资源厅-网上申报系统", "黑龙江省自然资源厅"),
    ("tourism", "全国旅游监管服务平台", "黑龙江省文化和旅游厅"),
    ("science", "科技计划综合管理系统", "黑龙江省科学技术厅"),
    ("hrss", "人力资源和社会保障网上服务大厅", "黑龙江省人力资源和社会保障厅"),
    ("procurement", "政府采购管理平台", "黑龙江省财政厅"),
    ("market", "市场监督管理局公众服务平台", "黑龙江省市场监督管理局"),
    ("weather", "气象局业务系统", "黑龙江省气象局"),
    ("police", "公安厅业务系统", "黑龙江省公安厅"),
    ("justice", "司法厅业务系统", "黑龙江省司法厅"),
    ("transport", "交通运输厅业务系统", "黑龙江省交通运输厅"),
    ("health", "卫生健康委员会业务系统", "黑龙江省卫生健康委员会"),
    ("coal", "煤炭生产安全管理局业务系统", "黑龙江省煤炭生产安全管理局"),
    ("drugs", "药品监督管理局业务系统", "黑龙江省药品监督管理局"),
]
STAFF_SYSTEMS = [
    ("staff-matters", "黑龙江省政务服务事项管理平台", "黑龙江省营商环境建设监督局"),
    ("staff-data-sharing", "数据资源共享系统", "黑龙江省营商环境建设监督局"),
]
DEFAULT_CLAIMS = ["name", "account_type", "real_name_level", "home_region"]
STAFF_CLAIMS = ["name", "account_type", "real_name_level", "organisation"]


def catalogue():
    for region, city_code, city, systems in CITIES:
        for system in systems:
            name, owner = CITY_SYSTEMS[system]
            yield {"code": f"{city_code}-{system.replace('_', '-')}", "name": f"{city}{name}",
                   "owner": owner.format(city=city), "kind": "city", "region": region, "for_staff": False}
    for code, name, owner in DEPARTMENTS:
        yield {"code": f"province-{code.replace('_', '-')}", "name": name, "owner": owner, "kind": "department",
               "region": "230000000000", "for_staff": False}
    for code, name, owner in STAFF_SYSTEMS:
        yield {"code": code, "name": name, "owner": owner, "kind": "staff", "region": "230000000000",
               "for_staff": True}


def seed(apps, schema_editor):
    ClientSystem = apps.get_model("identity", "ClientSystem")
    Application = apps.get_model("oauth2_provider", "Application")
    Region = apps.get_model("core", "Region")
    known_regions = set(Region.objects.values_list("code", flat=True))
    for row in catalogue():
        if ClientSystem.objects.filter(code=row["code"]).exists():
            continue
        application = Application.objects.create(
            name=row["name"][:255], client_id=f"hlj-{row['code']}", client_type="confidential",
            authorization_grant_type="authorization-code", client_secret=secrets.token_urlsafe(32),
            redirect_uris="", post_logout_redirect_uris="", skip_authorization=True, algorithm="RS256")
        ClientSystem.objects.create(
            code=row["code"], name=row["name"], owner=row["owner"], kind=row["kind"],
            region_id=row["region"] if row["region"] in known_regions else None, client_id=application.client_id,
            ticket_secret="", allowed_claims=STAFF_CLAIMS if row["for_staff"] else DEFAULT_CLAIMS,
            for_staff=row["for_staff"])


def unseed(apps, schema_editor):
    ClientSystem = apps.get_model("identity", "ClientSystem")
    Application = apps.get_model("oauth2_provider", "Application")
    ids = list(ClientSystem.objects.values_list("client_id", flat=True))
    ClientSystem.objects.all().delete()
    Application.objects.filter(client_id__in=ids).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0002_login_sso_agents_registration"),
        ("oauth2_provider", "__latest__"),
        ("core", "__first__"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
