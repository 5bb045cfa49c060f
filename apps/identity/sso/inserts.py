"""Row values of unsaved model instances for hand-written multi-row statements (decision 0210).

The token hot paths write several rows that depend on each other (ID token → access token → refresh
token) in ONE data-modifying statement (`WITH … INSERT … RETURNING`). The column values come from
the model instances exactly as `Model.save()` would write them: each field's `pre_save` (auto_now,
the token checksum) and `get_db_prep_save` (UUIDs, JSON, time zones). Every value is cast to its
column type, because inside `INSERT … SELECT` PostgreSQL cannot infer the type of a bare literal;
the casts drop varchar lengths so that a too-long value is an error, never silently truncated.
"""
from __future__ import annotations

import functools
import re

from django.db import connection


@functools.cache
def insert_cast(field) -> str:
    """The column type to cast a parameter to inside `INSERT … SELECT` (varchar without its length)."""
    db_type = field.cast_db_type(connection) or field.db_type(connection)
    return re.sub(r"^(varchar|character varying)\(\d+\)$", "varchar", db_type)


def insert_values(instance, *, skip=()) -> tuple[list[str], list[str], list]:
    """(quoted columns, `CAST(%s AS type)` placeholders, parameters) of a new row of `instance`, its
    auto primary key and the fields named in `skip` left out (the caller fills those with SQL)."""
    quote = connection.ops.quote_name
    columns, placeholders, params = [], [], []
    for field in instance._meta.local_concrete_fields:
        if field.primary_key and field.db_returning or field.attname in skip:
            continue
        value = field.get_db_prep_save(field.pre_save(instance, True), connection)
        columns.append(quote(field.column))
        placeholders.append(f"CAST(%s AS {insert_cast(field)})")
        params.append(value)
    return columns, placeholders, params


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


class Sql(str):
    """A column value written as SQL (cast to the column's type), not passed as a parameter."""


class Raw(Sql):
    """A column value written as SQL as it is (a column of an earlier step of the statement)."""


def row_plan(model, row: dict) -> tuple[list[str], list[str], list[str]] | None:
    """(quoted columns, value expressions, parameter keys in order) for a new row of `model` whose
    column values `row` names by attname — a parameter key (str), `Sql` or `Raw` — built once per
    process instead of a model instance per request (decision 0211). None when `row` does not name
    exactly the columns `save()` would write (all but the auto primary key): the caller then falls
    back to the ORM-built values, so a model change can never write a row with a column missing."""
    fields = [f for f in model._meta.local_concrete_fields if not (f.primary_key and f.db_returning)]
    if sorted(f.attname for f in fields) != sorted(row):
        return None
    quote = connection.ops.quote_name
    marks, keys = [], []
    for field in fields:
        value = row[field.attname]
        if isinstance(value, Raw):
            marks.append(str(value))
        elif isinstance(value, Sql):
            marks.append(f"CAST({value} AS {insert_cast(field)})")
        else:
            marks.append(f"CAST(%s AS {insert_cast(field)})")
            keys.append(value)
    return [quote(f.column) for f in fields], marks, keys
