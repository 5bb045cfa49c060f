"""Shared pieces of the form tests (ACC-16.4, 16.8): a believable schema and a form administrator."""
import copy

from apps.acceptance.tests import factories as f
from apps.identity.tests.factories import StaffFactory

FORM_PERMISSIONS = [f"{a}_{m}" for m in ("form", "formmapping") for a in ("view", "add", "change", "delete")]

SCHEMA = {"steps": [
    {"key": "operator", "title": "经营者信息", "fields": [
        {"key": "operator_name", "label": "经营者姓名", "type": "text", "required": True, "max_length": 30},
        {"key": "operator_id", "label": "经营者身份证号码", "type": "id_number", "required": True},
        {"key": "operator_mobile", "label": "联系电话", "type": "mobile", "required": True},
        {"key": "organisation_form", "label": "组成形式", "type": "radio", "required": True,
         "options": ["个人经营", "家庭经营"]},
        {"key": "family_members", "label": "参加经营的家庭成员", "type": "textarea", "required": True,
         "show_if": {"field": "organisation_form", "equals": "家庭经营"}},
        {"key": "capital", "label": "资金数额（万元）", "type": "number", "required": True, "min": 0, "max": 1000},
        {"key": "sells_food", "label": "是否经营食品", "type": "radio", "required": True, "options": ["是", "否"]},
    ]},
    {"key": "food", "title": "食品经营信息", "show_if": {"field": "sells_food", "equals": "是"}, "fields": [
        {"key": "food_licence", "label": "食品经营许可证编号", "type": "text", "required": True,
         "regex": r"JY\d{14}", "help": "JY开头加14位数字"},
        {"key": "food_kinds", "label": "经营项目", "type": "checkbox", "required": True,
         "options": ["预包装食品销售", "散装食品销售", "热食类食品制售"]},
    ]},
]}

GOOD_ANSWERS = {"operator_name": "王小明", "operator_id": f.id_number(7), "operator_mobile": "13900000007",
                "organisation_form": "个人经营", "capital": "12.5", "sells_food": "否"}


def schema():
    return copy.deepcopy(SCHEMA)


def form_admin(organisation, username="form_admin"):
    return f.grant(StaffFactory(username=username, organisation=organisation), *FORM_PERMISSIONS)
