"""Seed the APIs integrated systems may be granted (IDN-5.4) and the business switches (IDN-5.3)."""
from django.db import migrations

ENDPOINTS = [
    ("face-compare", "人脸识别比对接口", "/api/v1/identity/face/compare/", "IDN-1.3.4：业务系统上送人脸图像，返回比对状态"),
    ("staff-users", "政务服务事项系统用户获取接口", "/api/v1/identity/staff-users/",
     "IDN-14.1：按访问平台唯一标识与所属机构信用代码查询工作人员"),
    ("hash-person", "个人散列值接口", "/api/v1/identity/hash/person/", "IDN-14.4：获取国家个人散列值"),
    ("hash-legal", "法人散列值接口", "/api/v1/identity/hash/legal/", "IDN-14.4：获取国家法人散列值"),
]
CONTROLS = [
    ("natural_registration", "自然人注册"),
    ("legal_registration", "法人注册"),
    ("sms_login", "短信验证码登录"),
    ("national_login", "国家平台账号登录"),
    ("city_login", "地市快捷登录"),
    ("certificate_login", "数字证书登录"),
    ("e_licence_login", "电子营业执照登录"),
    ("social_security_login", "电子社保卡登录"),
    ("alipay_login", "支付宝快捷登录"),
]


def seed(apps, schema_editor):
    ApiEndpoint = apps.get_model("identity", "ApiEndpoint")
    BusinessControl = apps.get_model("identity", "BusinessControl")
    for code, name, path, description in ENDPOINTS:
        ApiEndpoint.objects.get_or_create(code=code, defaults={"name": name, "path": path,
                                                               "description": description})
    for code, name in CONTROLS:
        BusinessControl.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("identity", "0004_external_identities_login_methods_controls")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
