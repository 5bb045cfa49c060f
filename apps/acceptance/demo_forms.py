"""Demo application forms (ACC-16.8, 16.4): 个体工商户设立登记申请表 with conditional steps, 食品经营许可申请表,
their combined form, a mapping to the natural-person profile, bound to the demo items of those names."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from apps.acceptance.models.forms import Form, FormKind, FormMapping, FormPart, FormStatus, FormVersion, ItemForm
from apps.acceptance.services.forms import form_schema_validate, schema_merge

SOLE_TRADER = {"steps": [
    {"key": "operator", "title": "经营者信息", "fields": [
        {"key": "operator_name", "label": "经营者姓名", "type": "text", "required": True, "max_length": 30},
        {"key": "operator_id", "label": "经营者身份证号码", "type": "id_number", "required": True},
        {"key": "operator_mobile", "label": "联系电话", "type": "mobile", "required": True},
        {"key": "organisation_form", "label": "组成形式", "type": "radio", "required": True,
         "options": ["个人经营", "家庭经营"]},
        {"key": "family_members", "label": "参加经营的家庭成员姓名及身份证号码", "type": "textarea", "required": True,
         "show_if": {"field": "organisation_form", "equals": "家庭经营"}},
    ]},
    {"key": "business", "title": "经营信息", "fields": [
        {"key": "trade_name", "label": "个体工商户名称", "type": "text", "help": "可以不使用名称"},
        {"key": "business_scope", "label": "经营范围", "type": "textarea", "required": True, "max_length": 500},
        {"key": "premises", "label": "经营场所", "type": "text", "required": True},
        {"key": "capital", "label": "资金数额（万元）", "type": "number", "required": True, "min": 0, "max": 10000},
        {"key": "employees", "label": "从业人数", "type": "number", "required": True, "min": 1, "max": 200},
        {"key": "sells_food", "label": "是否经营食品", "type": "radio", "required": True, "options": ["是", "否"]},
    ]},
    {"key": "food", "title": "食品经营信息", "show_if": {"field": "sells_food", "equals": "是"}, "fields": [
        {"key": "food_kinds", "label": "食品经营项目", "type": "checkbox", "required": True,
         "options": ["预包装食品销售", "散装食品销售", "热食类食品制售", "冷食类食品制售"]},
        {"key": "food_safety_manager", "label": "食品安全管理人员", "type": "text", "required": True},
    ]},
]}

FOOD_LICENCE = {"steps": [{"key": "food", "title": "食品经营许可信息", "fields": [
    {"key": "operator_name", "label": "经营者姓名", "type": "text", "required": True, "max_length": 30},
    {"key": "main_format", "label": "主体业态", "type": "select", "required": True,
     "options": ["食品销售经营者", "餐饮服务经营者", "单位食堂"]},
    {"key": "premises_area", "label": "经营场所面积（平方米）", "type": "number", "required": True, "min": 1},
    {"key": "opening_date", "label": "拟开业日期", "type": "date"},
    {"key": "email", "label": "电子邮箱", "type": "email"},
]}]}


def _form(code, name, organisation, schema, *, kind=FormKind.SINGLE):
    form, _created = Form.objects.get_or_create(code=code, defaults={
        "name": name, "organisation": organisation, "kind": kind, "status": FormStatus.PUBLISHED})
    if not form.versions.exists():
        FormVersion.objects.create(form=form, number=1, schema=schema, published_at=timezone.now())
    return form


@transaction.atomic
def seed_forms(*, organisation=None, log=print) -> list[Form]:
    from apps.core.models import Organisation
    from apps.matters.models import ImplementationItem

    organisation = organisation or Organisation.objects.order_by("tree_path").first()
    if organisation is None:
        log("申报表单：没有组织机构，跳过")
        return []
    sole = _form("gtgsh-sl", "个体工商户设立登记申请表", organisation, form_schema_validate(SOLE_TRADER))
    food = _form("spjy-xk", "食品经营许可申请表", organisation, form_schema_validate(FOOD_LICENCE))
    combined = _form("gtgsh-spjy", "个体工商户设立+食品经营许可（聚合表单）", organisation,
                     schema_merge([(sole.code, SOLE_TRADER), (food.code, FOOD_LICENCE)]), kind=FormKind.COMBINED)
    for position, part in enumerate((sole, food)):
        FormPart.objects.get_or_create(form=combined, part=part, defaults={"position": position})
    FormMapping.objects.get_or_create(name="经营者信息→自然人基本信息", form=sole, defaults={
        "target": "natural_person", "organisation": organisation,
        "pairs": [{"field": "operator_name", "attribute": "full_name"},
                  {"field": "operator_id", "attribute": "id_number"},
                  {"field": "operator_mobile", "attribute": "mobile_number"}]})
    bound = 0
    for needle, form in (("个体工商户", sole), ("食品经营", food)):
        for item in ImplementationItem.objects.filter(status="published", name__contains=needle)[:5]:
            ItemForm.objects.get_or_create(item=item, defaults={"form": form})
            bound += 1
    log(f"申报表单：3 个（含聚合表单 1 个），绑定事项 {bound} 个")
    return [sole, food, combined]
