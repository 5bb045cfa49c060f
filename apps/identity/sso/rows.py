"""Precompiled reads of the hot token path: the grant behind a code with its user (decision 0209),
and for the lean code exchange also with its application (decision 0211); the user columns the lean
code exchange reads back from its one statement (decision 0213).

The ORM spends ~2 ms of CPU per call compiling `Grant.objects.select_related("user").defer(...)`
(the user model has many columns and relations) — more than the database needs to answer. The SQL
here is built once per process from the models' metadata, and the rows become model instances the
way the ORM makes them (`from_db`, each field's database converters), the user's sensitive columns
deferred as before.
"""
from __future__ import annotations

import functools

from django.db import connection
from oauth2_provider.models import get_application_model, get_grant_model

from apps.identity.models import User

# Decrypted only when a claim needs them (phone_number, id_number), not on every token read.
DEFERRED_USER_COLUMNS = ("mobile_number", "id_number", "password", "remarks")


@functools.lru_cache(maxsize=8)
def _fields(model, skip=()) -> tuple:
    """The model's concrete fields but `skip`, once per process (keyed by the model and names: hashing
    field objects, as a key of fields would, costs more than the lookup saves)."""
    return tuple(f for f in model._meta.concrete_fields if f.attname not in skip)


@functools.lru_cache(maxsize=2)
def _grant_sql(with_application: bool = False) -> str:
    quote = connection.ops.quote_name
    grant_model, application_model = get_grant_model(), get_application_model()
    columns = [f"g.{quote(f.column)}" for f in _fields(grant_model)]
    columns += [f"u.{quote(f.column)}" for f in _fields(User, DEFERRED_USER_COLUMNS)]
    user_fk = grant_model._meta.get_field("user").column
    sql = (f"SELECT {{columns}} FROM {quote(grant_model._meta.db_table)} g "
           f"LEFT JOIN {quote(User._meta.db_table)} u ON u.{quote(User._meta.pk.column)} = g.{quote(user_fk)} ")
    if with_application:
        columns += [f"a.{quote(f.column)}" for f in _fields(application_model)]
        application_fk = grant_model._meta.get_field("application").column
        sql += (f"JOIN {quote(application_model._meta.db_table)} a "
                f"ON a.{quote(application_model._meta.pk.column)} = g.{quote(application_fk)} ")
    sql += f"WHERE g.{quote(grant_model._meta.get_field('code').column)} = %s LIMIT 1"
    return sql.replace("{columns}", ", ".join(columns))


@functools.lru_cache(maxsize=8)
def _converters(model, skip: tuple) -> tuple:
    """(position, field, its database converters) of the fields that have any, and the attnames — once per
    process."""
    fields = _fields(model, skip)
    return (tuple((i, f, tuple(f.get_db_converters(connection))) for i, f in enumerate(fields)
                  if f.get_db_converters(connection)), [f.attname for f in fields])


def _build(model, values, skip=()):
    values = list(values)
    converting, attnames = _converters(model, skip)
    for i, field, converters in converting:
        for converter in converters:
            values[i] = converter(values[i], field, connection)
    return model.from_db(connection.alias, attnames, values)


def grant_with_user(code: str, *, with_application: bool = False):
    """The grant for `code` with its user (sensitive columns deferred), or None. `with_application`:
    its application too, read in the same statement — always the committed row, no cache."""
    with connection.cursor() as cursor:
        cursor.execute(_grant_sql(with_application), [code])
        row = cursor.fetchone()
    if row is None:
        return None
    grant_count, user_count = len(_fields(get_grant_model())), len(_fields(User, DEFERRED_USER_COLUMNS))
    grant = _build(get_grant_model(), row[:grant_count])
    if grant.user_id is not None:
        grant.user = _build(User, row[grant_count:grant_count + user_count], DEFERRED_USER_COLUMNS)
    if with_application:
        grant.application = _build(get_application_model(), row[grant_count + user_count:])
    return grant


def user_columns(alias: str) -> str:
    """The user columns `user_from_row` expects, as `alias.column, …` (sensitive ones deferred)."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(f.column)}" for f in _fields(User, DEFERRED_USER_COLUMNS))


def user_from_row(values):
    """The User of `user_columns` values, made as `grant_with_user` makes it."""
    return _build(User, values, DEFERRED_USER_COLUMNS)
