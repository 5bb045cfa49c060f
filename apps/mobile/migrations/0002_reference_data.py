"""Reference data of the mobile platform: interface classification, app types, components, channels."""
from django.db import migrations

CATEGORIES = [("social_security", "社会保障"), ("tax", "税务"), ("vehicle", "行驶驾驶"), ("health", "医疗健康"),
              ("employment", "人才就业"), ("housing_fund", "住房公积金"), ("identity", "统一身份认证"),
              ("licence", "电子证照"), ("case", "办件查询"), ("matter", "事项查询"), ("other", "其他")]
APP_TYPES = [("social_security", "社保服务"), ("tax", "税务服务"), ("transport", "交通出行"), ("health", "医疗健康"),
             ("employment", "就业创业"), ("housing", "住房保障"), ("education", "教育服务"), ("convenience", "生活便民")]
CHANNELS = [("app", "全省事APP"), ("wechat", "微信小程序"), ("alipay", "支付宝小程序")]
USER_SAMPLE = """// 获取当前登录的统一用户（首次调用即完成用户绑定）
fetch('/api/v1/mobile/components/user/', {
  credentials: 'include',                       // 全省事 WebView 中的统一身份认证会话
  headers: {'X-App-Id': 'your.app.id', 'X-App-Key': '<应用密钥，由应用后端持有>'}
}).then(r => r.json()).then(user => console.log(user.open_id, user.name));"""
MESSAGE_SAMPLE = """# 应用后端向已绑定用户推送消息（request_id 用于防重）
curl -X POST /api/v1/mobile/components/messages/ \\
  -H 'X-App-Id: your.app.id' -H 'X-App-Key: <应用密钥>' -H 'Content-Type: application/json' \\
  -d '{"open_id": "u…", "title": "办件进度", "content": "您的申请已受理", "request_id": "case-123-accepted"}'"""
COMPONENTS = [
    ("user", "用户组件", "user", "获取统一用户信息、调起登录注册，管理应用与平台账号的用户绑定。", USER_SAMPLE),
    ("message", "消息组件", "message", "统一消息推送通道：应用调用后消息写入用户“我的消息”并经推送通道送达。",
     MESSAGE_SAMPLE),
    ("camera", "拍照与录像", "device", "调用摄像头拍照、录像；无桥接时回退到 <input type=file capture>。",
     "<input type=\"file\" accept=\"image/*\" capture=\"environment\">"),
    ("location", "定位", "device", "获取 GPS 位置；无桥接时使用浏览器 Geolocation。",
     "navigator.geolocation.getCurrentPosition(p => console.log(p.coords.latitude, p.coords.longitude));"),
    ("phone", "拨打电话", "device", "拨打服务电话。", "<a href=\"tel:12345\">拨打 12345</a>"),
    ("share", "社交分享", "device", "调用系统分享。", "navigator.share({title: '全省事', url: location.href});"),
    ("dialog", "提示框与轻提示", "page", "统一的对话框与 toast。", "qss.dialog({title: '提示', message: '提交成功'});"),
    ("upload", "附件上传", "page", "统一附件上传控件。", "<input type=\"file\" name=\"attachment\" multiple>"),
    ("licence", "证照调取", "page", "从电子证照库调取证照作为申报材料。", "qss.licence.pick({types: ['身份证']});"),
    ("payment", "支付组件", "payment", "银行、微信、支付宝支付。", ""),
]


def forwards(apps, schema_editor):
    for model, rows in (("InterfaceCategory", CATEGORIES), ("AppType", APP_TYPES)):
        Model = apps.get_model("mobile", model)
        for order, (code, name) in enumerate(rows):
            Model.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    Channel = apps.get_model("mobile", "Channel")
    for code, name in CHANNELS:
        Channel.objects.get_or_create(code=code, defaults={"name": name})
    Component = apps.get_model("mobile", "Component")
    for order, (code, name, kind, description, sample) in enumerate(COMPONENTS):
        Component.objects.get_or_create(code=code, defaults={"name": name, "kind": kind, "description": description,
                                                             "code_sample": sample, "sort_order": order,
                                                             "is_open": code != "payment"})


class Migration(migrations.Migration):
    dependencies = [("mobile", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
