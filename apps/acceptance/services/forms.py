"""Form schemas (ACC-16.8): the one place that says what a valid schema is, how a combined form is
merged from its sub-forms, and how an applicant's answers are checked against a schema.

Schema format (docs/acceptance-forms.md):
    {"steps": [{"key": "s1", "title": "经营者信息", "show_if": {"field": "k", "equals": "v"} | absent,
                "fields": [{"key": "operator_name", "label": "经营者姓名", "type": "text", "required": true,
                            "options": [...], "min": .., "max": .., "min_length": .., "max_length": ..,
                            "regex": "..", "help": "..", "show_if": {"field": "k", "equals": "v"}}]}]}

The page's script (static/js/acceptance-forms.js) applies the same show_if rule; the server is the judge.
"""
from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from apps.core.validators import validate_id_number, validate_mobile_number

FIELD_TYPES = {
    "text": _("单行文本"), "textarea": _("多行文本"), "number": _("数字"), "date": _("日期"),
    "select": _("下拉选择"), "radio": _("单选"), "checkbox": _("多选"), "id_number": _("身份证号码"),
    "mobile": _("手机号码"), "email": _("电子邮箱"),
}
CHOICE_TYPES = {"select", "radio", "checkbox"}
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_STEPS, MAX_FIELDS, MAX_OPTIONS = 20, 200, 100
DEFAULT_MAX_LENGTH = {"text": 200, "textarea": 2000}
FIELD_ATTRIBUTES = {"key", "label", "type", "required", "options", "min", "max", "min_length", "max_length",
                    "regex", "help", "show_if", "placeholder"}


def _options(field) -> list[str]:
    return [str(o["value"]) for o in field.get("options") or []]


def _normalise_options(raw, where, errors) -> list[dict]:
    if not isinstance(raw, list) or not raw:
        errors.append(_("%(w)s：选择类字段至少要有一个选项。") % {"w": where})
        return []
    options = []
    for option in raw[:MAX_OPTIONS + 1]:
        if isinstance(option, dict):
            value, label = str(option.get("value", "")).strip(), str(option.get("label", "")).strip()
        else:
            value = label = str(option).strip()
        if not value:
            errors.append(_("%(w)s：选项的值不能为空。") % {"w": where})
            continue
        options.append({"value": value[:100], "label": (label or value)[:100]})
    values = [o["value"] for o in options]
    if len(values) != len(set(values)):
        errors.append(_("%(w)s：选项的值不能重复。") % {"w": where})
    if len(raw) > MAX_OPTIONS:
        errors.append(_("%(w)s：选项不能超过 %(n)s 个。") % {"w": where, "n": MAX_OPTIONS})
    return options


def _number(value, where, name, errors):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
        return int(number) if number == number.to_integral_value() else float(number)
    except (InvalidOperation, ValueError):
        errors.append(_("%(w)s：%(n)s 必须是数字。") % {"w": where, "n": name})
        return None


def _condition(raw, where, known: dict, errors):
    """A show_if condition must name a field defined earlier; with options, the value must be one of them."""
    if not raw:
        return None
    if not isinstance(raw, dict) or not raw.get("field"):
        errors.append(_("%(w)s：显示条件格式不正确。") % {"w": where})
        return None
    ref, value = str(raw["field"]), str(raw.get("equals", ""))
    if ref not in known:
        errors.append(_("%(w)s：显示条件引用的字段“%(f)s”不存在或不在它之前。") % {"w": where, "f": ref})
        return None
    if known[ref]["type"] in CHOICE_TYPES and value not in _options(known[ref]):
        errors.append(_("%(w)s：显示条件的值“%(v)s”不是字段“%(f)s”的选项。") % {"w": where, "v": value, "f": ref})
    return {"field": ref, "equals": value}


def _field(raw, step_title, known, errors) -> dict | None:
    if not isinstance(raw, dict):
        errors.append(_("步骤“%(s)s”：字段格式不正确。") % {"s": step_title})
        return None
    key, label, kind = str(raw.get("key", "")).strip(), str(raw.get("label", "")).strip(), raw.get("type")
    where = _("字段“%(l)s”") % {"l": label or key or "?"}
    if not KEY_RE.match(key):
        errors.append(_("%(w)s：字段标识须以小写字母开头，只含小写字母、数字和下划线，不超过40位。") % {"w": where})
    elif key in known:
        errors.append(_("字段标识“%(k)s”重复。") % {"k": key})
    if not label or len(label) > 100:
        errors.append(_("%(w)s：请填写不超过100字的字段名称。") % {"w": where})
    if kind not in FIELD_TYPES:
        errors.append(_("%(w)s：不支持的字段类型“%(t)s”。") % {"w": where, "t": kind})
        return None
    field = {"key": key, "label": label, "type": kind, "required": bool(raw.get("required"))}
    if kind in CHOICE_TYPES:
        field["options"] = _normalise_options(raw.get("options"), where, errors)
    if kind in ("number", "date"):
        for bound in ("min", "max"):
            value = raw.get(bound)
            if kind == "number":
                value = _number(value, where, bound, errors)
            elif value not in (None, ""):
                try:
                    value = datetime.date.fromisoformat(str(value)).isoformat()
                except ValueError:
                    errors.append(_("%(w)s：日期范围须为 YYYY-MM-DD。") % {"w": where})
                    value = None
            if value not in (None, ""):
                field[bound] = value
        if "min" in field and "max" in field and field["min"] > field["max"]:
            errors.append(_("%(w)s：最小值大于最大值。") % {"w": where})
    if kind in ("text", "textarea"):
        for bound in ("min_length", "max_length"):
            value = raw.get(bound)
            if value in (None, ""):
                continue
            if not str(value).isdigit() or int(value) > DEFAULT_MAX_LENGTH[kind]:
                errors.append(_("%(w)s：长度限制须为 0–%(n)s 的整数。") % {"w": where, "n": DEFAULT_MAX_LENGTH[kind]})
                continue
            field[bound] = int(value)
        if field.get("min_length", 0) > field.get("max_length", DEFAULT_MAX_LENGTH[kind]):
            errors.append(_("%(w)s：最小长度大于最大长度。") % {"w": where})
        regex = str(raw.get("regex") or "")
        if regex:
            try:
                re.compile(regex)
            except re.error:
                errors.append(_("%(w)s：校验正则表达式无效。") % {"w": where})
            if len(regex) > 200:
                errors.append(_("%(w)s：校验正则表达式不能超过200字符。") % {"w": where})
            field["regex"] = regex[:200]
    for text in ("help", "placeholder"):
        if raw.get(text):
            field[text] = str(raw[text]).strip()[:200]
    condition = _condition(raw.get("show_if"), where, known, errors)
    if condition:
        field["show_if"] = condition
    return field


def form_schema_validate(schema) -> dict:
    """The normalised schema, or ValidationError with every problem in Chinese (nothing is saved)."""
    errors: list[str] = []
    steps_raw = schema.get("steps") if isinstance(schema, dict) else None
    if not isinstance(steps_raw, list) or not steps_raw:
        raise ValidationError(_("表单至少要有一个步骤。"))
    if len(steps_raw) > MAX_STEPS:
        raise ValidationError(_("步骤不能超过 %(n)s 个。") % {"n": MAX_STEPS})
    known: dict[str, dict] = {}
    steps, step_keys = [], set()
    for index, raw in enumerate(steps_raw, start=1):
        if not isinstance(raw, dict):
            errors.append(_("第 %(n)s 步格式不正确。") % {"n": index})
            continue
        title = str(raw.get("title", "")).strip()
        if not title or len(title) > 100:
            errors.append(_("第 %(n)s 步：请填写不超过100字的步骤名称。") % {"n": index})
        key = str(raw.get("key") or f"step{index}")
        if not KEY_RE.match(key) or key in step_keys:
            errors.append(_("第 %(n)s 步：步骤标识无效或重复。") % {"n": index})
        step_keys.add(key)
        step = {"key": key, "title": title}
        condition = _condition(raw.get("show_if"), _("步骤“%(t)s”") % {"t": title}, known, errors)
        if condition:
            step["show_if"] = condition
        fields = []
        for field_raw in raw.get("fields") or []:
            field = _field(field_raw, title, known, errors)
            if field:
                fields.append(field)
                known.setdefault(field["key"], field)
        if not fields:
            errors.append(_("步骤“%(t)s”：至少要有一个字段。") % {"t": title})
        step["fields"] = fields
        steps.append(step)
    if len(known) > MAX_FIELDS:
        errors.append(_("字段不能超过 %(n)s 个。") % {"n": MAX_FIELDS})
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))
    return {"steps": steps}


def schema_fields(schema) -> list[dict]:
    return [field for step in schema.get("steps", []) for field in step.get("fields", [])]


def schema_merge(parts) -> dict:
    """聚合表单: the steps of several (code, schema) sub-forms in order. A key used by two sub-forms is
    kept once when both define the same field, and refused when they define it differently."""
    steps, seen, errors = [], {}, []
    for code, schema in parts:
        for step in schema.get("steps", []):
            fields = []
            for field in step.get("fields", []):
                if field["key"] in seen:
                    other_code, other = seen[field["key"]]
                    if {**other, "show_if": None} != {**field, "show_if": None}:
                        errors.append(_("子表单“%(a)s”和“%(b)s”都有字段“%(k)s”，但定义不同，不能合并。")
                                      % {"a": other_code, "b": code, "k": field["key"]})
                    continue
                seen[field["key"]] = (code, field)
                fields.append(field)
            if fields:
                steps.append({**step, "key": f"{code.replace('-', '_')}_{step['key']}"[:40].lower(),
                              "fields": fields})
    if errors:
        raise ValidationError(errors)
    if not steps:
        raise ValidationError(_("子表单没有可合并的字段。"))
    return form_schema_validate({"steps": steps})


def _raw(data, field):
    if field["type"] == "checkbox":
        values = data.getlist(field["key"]) if hasattr(data, "getlist") else data.get(field["key"])
        if values in (None, ""):
            return []
        return [str(v) for v in (values if isinstance(values, (list, tuple)) else [values]) if str(v) != ""]
    value = data.get(field["key"])
    return "" if value is None else str(value).strip()


def _holds(condition, values) -> bool:
    if not condition:
        return True
    value = values.get(condition["field"])
    if isinstance(value, list):
        return condition["equals"] in value
    return value is not None and str(value) == condition["equals"]


def _check(field, value):
    """The cleaned value of one visible, filled field, or ValidationError with a Chinese message."""
    kind, label = field["type"], field["label"]
    if kind in ("text", "textarea"):
        limit = field.get("max_length", DEFAULT_MAX_LENGTH[kind])
        if len(value) > limit:
            raise ValidationError(_("%(l)s不能超过 %(n)s 字。") % {"l": label, "n": limit})
        if len(value) < field.get("min_length", 0):
            raise ValidationError(_("%(l)s至少 %(n)s 字。") % {"l": label, "n": field["min_length"]})
        if field.get("regex") and not re.fullmatch(field["regex"], value):
            raise ValidationError(_("%(l)s格式不正确。") % {"l": label})
        return value
    if kind == "number":
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ValidationError(_("%(l)s须为数字。") % {"l": label}) from None
        if not number.is_finite() or ("min" in field and number < Decimal(str(field["min"]))) or (
                "max" in field and number > Decimal(str(field["max"]))):
            raise ValidationError(_("%(l)s须在 %(a)s 到 %(b)s 之间。") % {
                "l": label, "a": field.get("min", "-∞"), "b": field.get("max", "+∞")})
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == "date":
        try:
            date = datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValidationError(_("%(l)s须为有效日期（YYYY-MM-DD）。") % {"l": label}) from None
        if ("min" in field and date < field["min"]) or ("max" in field and date > field["max"]):
            raise ValidationError(_("%(l)s须在 %(a)s 到 %(b)s 之间。") % {
                "l": label, "a": field.get("min", ""), "b": field.get("max", "")})
        return date
    if kind in ("select", "radio"):
        if value not in _options(field):
            raise ValidationError(_("%(l)s的选项无效。") % {"l": label})
        return value
    if kind == "checkbox":
        if any(v not in _options(field) for v in value):
            raise ValidationError(_("%(l)s的选项无效。") % {"l": label})
        return sorted(set(value), key=_options(field).index)
    if kind == "id_number":
        value = value.upper()
        validate_id_number(value)
    elif kind == "mobile":
        validate_mobile_number(value)
    elif kind == "email":
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(_("%(l)s不是有效的电子邮箱。") % {"l": label}) from None
    return value


def form_submission_validate(schema, data) -> dict:
    """The cleaned answers of the visible fields, or ValidationError({key: [message]}) field by field.

    `data` is a dict or a QueryDict (checkbox answers as lists). Fields and steps hidden by their
    show_if condition are ignored, whatever was sent for them."""
    cleaned, errors = {}, {}
    for step in schema.get("steps", []):
        if not _holds(step.get("show_if"), cleaned):
            continue
        for field in step["fields"]:
            if not _holds(field.get("show_if"), cleaned):
                continue
            value = _raw(data, field)
            if value in ("", []):
                if field.get("required"):
                    errors[field["key"]] = [_("请填写%(l)s。") % {"l": field["label"]}]
                continue
            try:
                cleaned[field["key"]] = _check(field, value)
            except ValidationError as exc:
                errors[field["key"]] = [m if field["label"] in m else f"{field['label']}：{m}" for m in exc.messages]
    if errors:
        raise ValidationError(errors)
    return cleaned
