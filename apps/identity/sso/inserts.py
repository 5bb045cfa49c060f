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
def _cast(field) -> str:
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
        placeholders.append(f"CAST(%s AS {_cast(field)})")
        params.append(value)
    return columns, placeholders, params


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)
