"""Condition trees (OPS-2.4): nested AND/OR groups of field comparisons, used by filter rules, log
types and correlation rules.

    {"op": "and", "conditions": [
        {"field": "app_name", "operator": "eq", "value": "sshd"},
        {"op": "or", "conditions": [
            {"field": "message", "operator": "contains", "value": "Failed password"},
            {"field": "source_ip", "operator": "in_cidr", "value": "10.0.0.0/8"}]}]}

An empty tree ({}) matches everything. `validate_condition` raises ValidationError with a message
that names the offending node, so a bad rule is refused before it is saved.
"""
from __future__ import annotations

import ipaddress
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_DEPTH = 6
OPERATORS = {
    "eq": "等于", "ne": "不等于", "contains": "包含", "not_contains": "不包含", "startswith": "开头是",
    "endswith": "结尾是", "regex": "正则匹配", "in": "属于列表", "not_in": "不属于列表", "gt": "大于",
    "gte": "大于等于", "lt": "小于", "lte": "小于等于", "in_cidr": "属于网段", "exists": "存在",
}
NUMERIC = {"gt", "gte", "lt", "lte"}


def validate_condition(tree: Any, *, depth: int = 0, path: str = "条件") -> None:
    if tree in ({}, None):
        if depth:
            raise ValidationError(_("%(path)s：条件组不能为空。") % {"path": path})
        return
    if not isinstance(tree, dict):
        raise ValidationError(_("%(path)s：必须是对象。") % {"path": path})
    if depth > MAX_DEPTH:
        raise ValidationError(_("条件嵌套不能超过 %(n)s 层。") % {"n": MAX_DEPTH})
    if "op" in tree:
        if tree["op"] not in ("and", "or", "not"):
            raise ValidationError(_("%(path)s：逻辑运算只能是 and、or 或 not。") % {"path": path})
        children = tree.get("conditions")
        if not isinstance(children, list) or not children:
            raise ValidationError(_("%(path)s：conditions 必须是非空列表。") % {"path": path})
        if tree["op"] == "not" and len(children) != 1:
            raise ValidationError(_("%(path)s：not 只能有一个子条件。") % {"path": path})
        for index, child in enumerate(children, 1):
            validate_condition(child, depth=depth + 1, path=f"{path}.{index}")
        return
    field, operator = tree.get("field"), tree.get("operator")
    if not field or not isinstance(field, str):
        raise ValidationError(_("%(path)s：缺少字段名 field。") % {"path": path})
    if operator not in OPERATORS:
        raise ValidationError(_("%(path)s：不支持的运算符 %(op)s。") % {"path": path, "op": operator})
    value = tree.get("value")
    if operator == "exists":
        return
    if operator in ("in", "not_in") and not isinstance(value, list):
        raise ValidationError(_("%(path)s：%(op)s 的值必须是列表。") % {"path": path, "op": operator})
    if operator in NUMERIC:
        try:
            float(value)
        except (TypeError, ValueError):
            raise ValidationError(_("%(path)s：%(op)s 的值必须是数字。") % {"path": path, "op": operator}) from None
    if operator == "regex":
        try:
            re.compile(str(value))
        except re.error as exc:
            raise ValidationError(_("%(path)s：正则表达式无效（%(err)s）。") % {"path": path, "err": exc}) from None
    if operator == "in_cidr":
        try:
            ipaddress.ip_network(str(value), strict=False)
        except ValueError:
            raise ValidationError(_("%(path)s：%(v)s 不是有效网段。") % {"path": path, "v": value}) from None
    if value is None:
        raise ValidationError(_("%(path)s：缺少比较值 value。") % {"path": path})


def _leaf(actual: Any, operator: str, expected: Any) -> bool:
    if operator == "exists":
        return actual not in (None, "")
    if actual is None:
        return operator in ("ne", "not_contains", "not_in")
    text = str(actual)
    if operator == "eq":
        return text == str(expected)
    if operator == "ne":
        return text != str(expected)
    if operator == "contains":
        return str(expected).lower() in text.lower()
    if operator == "not_contains":
        return str(expected).lower() not in text.lower()
    if operator == "startswith":
        return text.startswith(str(expected))
    if operator == "endswith":
        return text.endswith(str(expected))
    if operator == "regex":
        return re.search(str(expected), text) is not None
    if operator == "in":
        return text in {str(v) for v in expected}
    if operator == "not_in":
        return text not in {str(v) for v in expected}
    if operator in NUMERIC:
        try:
            left, right = float(actual), float(expected)
        except (TypeError, ValueError):
            return False
        return {"gt": left > right, "gte": left >= right, "lt": left < right, "lte": left <= right}[operator]
    if operator == "in_cidr":
        try:
            return ipaddress.ip_address(text) in ipaddress.ip_network(str(expected), strict=False)
        except ValueError:
            return False
    return False


def matches(tree: dict | None, record: dict) -> bool:
    """Whether `record` (a flat dict of event fields) satisfies `tree` (already validated)."""
    if not tree:
        return True
    if "op" in tree:
        results = (matches(child, record) for child in tree["conditions"])
        if tree["op"] == "and":
            return all(results)
        if tree["op"] == "or":
            return any(results)
        return not next(results)
    return _leaf(record.get(tree["field"]), tree["operator"], tree.get("value"))
