"""A precompiled fast path for a flat DRF input serializer on a hot endpoint (decision 0419).

DRF builds a serializer's fields anew for every instance (a deep copy of every declared field, its
validators and choices) before it validates anything; on the queued booking admission that is a
large share of the request's CPU. `PlainInput(serializer_class)` reads the serializer's fields ONCE
and then checks a request's data with plain Python, for the inputs it can vouch for only: a JSON
object whose values are exactly the types the fields expect and that every field accepts.

It never decides a refusal. Anything it cannot vouch for (a missing required field, a wrong type,
too long, a blank where blanks are refused, an unknown choice, form data …) makes `validate` return
None, and the caller runs the real serializer — so every 400 body is the serializer's own, byte for
byte, in the request's language. A serializer with anything it does not understand (another field
class, extra validators, a `validate_<field>` or `validate` method, Meta validators, a field with a
different source …) compiles to "never vouch": the fast path then simply never applies.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.validators import ProhibitSurrogateCharactersValidator

_MISSING = object()
_SKIP = object()                                      # field absent, no default: not in the validated data
_DECLINE = object()                                   # the serializer must decide
_CHARACTERS_REFUSED = re.compile("[\x00\ud800-\udfff]")   # CharField's null / surrogate validators
_PLAIN_INTEGER = re.compile("[0-9]{1,18}")               # int(str) and DRF's IntegerField agree (fullmatch)
_INTEGER_BOUND = 10**18


class NotCompilable(Exception):
    """The serializer has something the fast path does not reproduce exactly."""


def _check_validators(field, allowed: tuple[type, ...]) -> None:
    for validator in field.validators:
        if type(validator) not in allowed:
            raise NotCompilable(f"{field.field_name}: validator {validator!r}")


def _missing(field):
    """What the serializer does with an absent field: refuse (required), skip it, or use the default."""
    if field.required:
        return _DECLINE
    if field.default is empty:
        return _SKIP
    if callable(field.default):
        raise NotCompilable(f"{field.field_name}: callable default")
    return field.default


def _integer_check(field) -> Callable:
    if field.max_value is not None or field.min_value is not None or field.allow_null:
        raise NotCompilable(f"{field.field_name}: bounds or null")
    _check_validators(field, ())

    def check(value):
        if type(value) is int and -_INTEGER_BOUND < value < _INTEGER_BOUND:   # bool: type() keeps it out
            return value
        if type(value) is str and _PLAIN_INTEGER.fullmatch(value):
            return int(value)
        return _DECLINE
    return check


def _char_check(field) -> Callable:
    if field.min_length is not None or field.allow_null:
        raise NotCompilable(f"{field.field_name}: min_length or null")
    _check_validators(field, (MaxLengthValidator, ProhibitNullCharactersValidator,
                              ProhibitSurrogateCharactersValidator))
    max_length, allow_blank, trim = field.max_length, field.allow_blank, field.trim_whitespace

    def check(value):
        if type(value) is not str:
            return _DECLINE
        cleaned = value.strip() if trim else value
        if cleaned == "":                             # CharField.run_validation's blank test
            return "" if allow_blank else _DECLINE
        if (max_length is not None and len(cleaned) > max_length) or _CHARACTERS_REFUSED.search(cleaned):
            return _DECLINE
        return cleaned
    return check


def _choice_check(field) -> Callable:
    if field.allow_null:
        raise NotCompilable(f"{field.field_name}: null")
    _check_validators(field, ())
    choices = dict(field.choice_strings_to_values)
    allow_blank = field.allow_blank

    def check(value):
        if type(value) is not str:
            return _DECLINE
        if value == "" and allow_blank:
            return ""
        return choices.get(value, _DECLINE)
    return check


_CHECKS = {serializers.IntegerField: _integer_check, serializers.CharField: _char_check,
           serializers.ChoiceField: _choice_check}


class PlainInput:
    """`validate(data)`: the serializer's `validated_data` as a plain dict, or None (run the serializer)."""

    def __init__(self, serializer_class: type[serializers.Serializer]):
        self.serializer_class = serializer_class
        try:
            self._fields = self._compile(serializer_class)
        except NotCompilable as exc:
            self._fields = None
            self.reason = str(exc)
        else:
            self.reason = ""

    @property
    def compiled(self) -> bool:
        return self._fields is not None

    @staticmethod
    def _compile(serializer_class) -> tuple:
        for method in ("validate", "run_validation", "to_internal_value", "run_validators"):
            if getattr(serializer_class, method) is not getattr(serializers.Serializer, method):
                raise NotCompilable(f"{method}() overridden")
        if getattr(getattr(serializer_class, "Meta", None), "validators", None):
            raise NotCompilable("Meta validators")
        compiled = []
        for name, field in serializer_class().fields.items():
            if field.read_only:
                continue
            if field.source != name:
                raise NotCompilable(f"{name}: source {field.source!r}")
            if hasattr(serializer_class, f"validate_{name}"):
                raise NotCompilable(f"validate_{name}()")
            make = _CHECKS.get(type(field))
            if make is None:
                raise NotCompilable(f"{name}: {type(field).__name__}")
            compiled.append((name, make(field), _missing(field)))
        return tuple(compiled)

    def validate(self, data) -> dict | None:
        if self._fields is None or type(data) is not dict:
            return None                               # form data (QueryDict), lists, null …: the serializer
        values = {}
        for name, check, missing in self._fields:
            raw = data.get(name, _MISSING)
            value = missing if raw is _MISSING else check(raw)
            if value is _DECLINE:
                return None
            if value is not _SKIP:
                values[name] = value
        return values

    def validated_data(self, data) -> dict:
        """The validated values; the serializer's ValidationError (→ its 400 body) when they are not valid."""
        values = self.validate(data)
        if values is None:
            serializer = self.serializer_class(data=data)
            serializer.is_valid(raise_exception=True)
            values = dict(serializer.validated_data)
        return values
