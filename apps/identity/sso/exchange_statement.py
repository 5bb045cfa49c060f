"""Ticket → token in one statement (decision 0210): the ticket spent, the access token written and the
login audited by a single data-modifying `WITH`.

    WITH spent AS (UPDATE ticket SET used_at … WHERE unused AND unexpired AND this client RETURNING …),
         owner AS (SELECT the user's identity columns FROM spent JOIN user),
         issued AS (INSERT access token … SELECT … FROM owner RETURNING id),
         audited AS (INSERT audit row … SELECT … FROM owner RETURNING id)
    SELECT ticket columns, user columns, issued.id FROM owner, issued, audited

Nothing is written unless the ticket was spent (each INSERT selects from it); the UPDATE locks the
ticket row like SELECT FOR UPDATE, so a concurrent exchange of the same ticket waits and then spends
nothing. The rows are built as the ORM builds them (`inserts.insert_values`): the access token as
`AccessToken.objects.create` did, the audit row as `apps.core.audit.audit_record` does (its actor
columns filled from the spent ticket's user inside the statement).
"""
from __future__ import annotations

import functools
import hashlib
from datetime import timedelta

from django.db import connection
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from apps.core.middleware import current_request
from apps.core.models.audit import AuditAction, AuditLog
from apps.core.services.audit import _request_fields, mask_changes
from apps.identity.models import SsoTicket, User
from apps.identity.sso import prepared
from apps.identity.sso.inserts import Raw, Sql, column, insert_values, row_plan, table
from apps.identity.sso.tokens import token_value

# What a ticket exchange reads of the ticket's user: the token's owner and the audit actor.
USER_COLUMNS = ("id", "username", "organisation_id", "is_active", "kind")
TICKET_COLUMNS = ("id", "ticket", "kind", "client_id", "user_id", "acting_for_id", "service", "used_at", "expires_at")
_ACTOR_FIELDS = ("actor_id", "actor_username", "actor_organisation_id")


def _access_token(*, application_pk, seconds: int, value: str, now):
    return get_access_token_model()(application_id=application_pk, token=value, scope=_TOKEN_SCOPE,
                                    expires=now + timedelta(seconds=seconds))


def _audit_row(detail: str):
    """The row `audit_record(actor=<the ticket's user>, action="login", detail=…)` writes, without its
    actor columns (the statement fills them from the user it has just found)."""
    request = current_request()
    record = AuditLog(action=AuditAction.LOGIN, detail=detail[:500], **_request_fields(request))
    record.changes = mask_changes(None, None)
    return record


@functools.lru_cache(maxsize=8)
def _sql(token_cols, token_marks, audit_cols, audit_marks, actor_columns: bool = True,
         checked_client: bool = False) -> str:
    """The statement; `actor_columns`: the audit INSERT's actor columns are appended here (the
    ORM-built values leave them out), else the planned values name them. `checked_client`: the ticket
    is spent only if the committed client system and application rows still hold the values the
    caller authenticated with (`_CLIENT_CHECK`, its six parameters right after the UPDATE's five)."""
    AccessToken = get_access_token_model()
    users = table(User)
    ticket_returning = ", ".join(column(SsoTicket, name.removesuffix("_id")) for name in TICKET_COLUMNS)
    spent_columns = ", ".join(f"spent.{column(SsoTicket, name.removesuffix('_id'))}" for name in TICKET_COLUMNS)
    user_columns = ", ".join(f"u.{column(User, name.removesuffix('_id'))} AS u_{name}" for name in USER_COLUMNS)
    owner_user = ", ".join(f"owner.u_{name}" for name in USER_COLUMNS)
    if actor_columns:
        token_cols, token_marks = token_cols + (column(AccessToken, "user"),), token_marks + ("owner.u_id",)
        audit_cols += tuple(column(AuditLog, name.removesuffix("_id")) for name in _ACTOR_FIELDS)
        audit_marks += ("owner.u_id", "LEFT(owner.u_username, 150)", "owner.u_organisation_id")
    token_insert = (f"INSERT INTO {table(AccessToken)} ({', '.join(token_cols)}) "
                    f"SELECT {', '.join(token_marks)} FROM owner RETURNING id")
    audit_insert = (f"INSERT INTO {table(AuditLog)} ({', '.join(audit_cols)}) "
                    f"SELECT {', '.join(audit_marks)} FROM owner RETURNING id")
    tickets = table(SsoTicket)
    return (f"WITH spent AS (UPDATE {tickets} SET {column(SsoTicket, 'used_at')} = %s "
            f"WHERE {column(SsoTicket, 'ticket')} = %s AND {column(SsoTicket, 'kind')} = %s "
            f"AND {column(SsoTicket, 'client')} = %s AND {column(SsoTicket, 'used_at')} IS NULL "
            f"AND {column(SsoTicket, 'expires_at')} > %s {_client_check() if checked_client else ''}"
            f"RETURNING {ticket_returning}), "
            f"owner AS (SELECT {spent_columns}, {user_columns} FROM spent JOIN {users} u "
            f"ON u.{column(User, 'id')} = spent.{column(SsoTicket, 'user')}), "
            f"issued AS ({token_insert}), audited AS ({audit_insert}) "
            f"SELECT {', '.join(f'owner.{c}' for c in (column(SsoTicket, n.removesuffix('_id')) for n in TICKET_COLUMNS))}, "
            f"{owner_user}, issued.id FROM owner, issued, audited")


def _client_check() -> str:
    """The committed client system (id, code, enabled, the stored — encrypted — ticket secret, OIDC
    client_id) and its application (id, client_id) as a per-process copy saw them (decision 0213)."""
    from oauth2_provider.models import get_application_model

    from apps.identity.models import ClientSystem

    Application = get_application_model()
    return (f"AND EXISTS (SELECT 1 FROM {table(ClientSystem)} c WHERE c.{column(ClientSystem, 'id')} = %s "
            f"AND c.{column(ClientSystem, 'code')} = %s AND c.{column(ClientSystem, 'is_enabled')} "
            f"AND c.{column(ClientSystem, 'ticket_secret')} = %s AND c.{column(ClientSystem, 'client_id')} = %s) "
            f"AND EXISTS (SELECT 1 FROM {table(Application)} a WHERE a.{column(Application, 'id')} = %s "
            f"AND a.{column(Application, 'client_id')} = %s) ")


# The rows' values without model instances (decision 0211): a parameter key, or SQL over `owner`
# (the spent ticket joined with its user). Exactly the columns `save()` would write; when a model
# has other columns `_planned_sql()` is None and the ORM-built values above are used instead.
_TOKEN_ROW = {"user_id": Raw("owner.u_id"), "source_refresh_token_id": Sql("NULL"), "token": "token",
              "token_checksum": "checksum", "id_token_id": Sql("NULL"), "application_id": "application_id",
              "expires": "expires", "scope": "scope", "resource": Sql("'[]'"), "created": "now", "updated": "now"}
_AUDIT_ROW = {"at": "now", "actor_id": Raw("owner.u_id"), "actor_username": Raw("LEFT(owner.u_username, 150)"),
              "actor_organisation_id": Raw("owner.u_organisation_id"), "action": "action",
              "content_type_id": Sql("NULL"), "object_id": "blank", "object_repr": "blank", "changes": Sql("'{}'"),
              "detail": "detail", "method": "method", "path": "path", "view_name": "blank",
              "status_code": Sql("NULL"), "ip": "ip", "user_agent": "user_agent", "request_id": "request_id"}
_TOKEN_SCOPE = "openid profile"


@functools.lru_cache(maxsize=2)
def _planned_sql(checked_client: bool = False) -> tuple[str, tuple[str, ...]] | None:
    token_plan, audit_plan = row_plan(get_access_token_model(), _TOKEN_ROW), row_plan(AuditLog, _AUDIT_ROW)
    if token_plan is None or audit_plan is None:
        return None
    sql = _sql(tuple(token_plan[0]), tuple(token_plan[1]), tuple(audit_plan[0]), tuple(audit_plan[1]),
               actor_columns=False, checked_client=checked_client)
    return sql, (*token_plan[2], *audit_plan[2])


def _planned_params(*, token: str, application_pk, seconds: int, detail: str, now) -> list:
    """The parameters of `_planned_sql()` after (now, ticket, kind, client, now): the row values as
    `_access_token` and `_audit_row` give them."""
    request = current_request()
    fields = _request_fields(request) if request is not None else {}
    values = {"token": token, "checksum": hashlib.sha256(token.encode("utf-8")).hexdigest(),
              "application_id": application_pk, "expires": now + timedelta(seconds=seconds), "scope": _TOKEN_SCOPE,
              "now": now, "action": AuditAction.LOGIN, "blank": "", "detail": detail[:500],
              "method": fields.get("method", ""), "path": fields.get("path", ""), "ip": fields.get("ip"),
              "user_agent": fields.get("user_agent", ""), "request_id": fields.get("request_id", "")}
    return [values[key] for key in _planned_sql()[1]]          # the same keys with or without the client check


def _orm_sql_and_params(*, token, application_pk, seconds, detail, now, checked_client=False):
    """The same statement from model instances (`inserts.insert_values`) — used when a model no
    longer has the planned columns."""
    instance = _access_token(application_pk=application_pk, seconds=seconds, value=token, now=now)
    audit = _audit_row(detail)
    token_cols, token_marks, token_params = insert_values(instance, skip=("user_id",))
    audit_cols, audit_marks, audit_params = insert_values(audit, skip=_ACTOR_FIELDS)
    sql = _sql(tuple(token_cols), tuple(token_marks), tuple(audit_cols), tuple(audit_marks),
               checked_client=checked_client)
    return sql, [*token_params, *audit_params]


def spend_and_issue(*, ticket: str, kind: str, client, application_pk, seconds: int, detail: str,
                    client_check: tuple | None = None):
    """(access token, spent ticket with its user's identity columns), or None when no unused,
    unexpired ticket of `client` was there to spend (then nothing was written). `client_check`:
    (stored ticket secret, OIDC client_id) of the caller's copy of `client` — the ticket is then
    spent only if the committed client system and application rows still match that copy."""
    value, now = token_value(), timezone.now()
    checked = client_check is not None
    if _planned_sql(checked) is not None:
        sql = _planned_sql(checked)[0]
        params = _planned_params(token=value, application_pk=application_pk, seconds=seconds, detail=detail, now=now)
    else:
        sql, params = _orm_sql_and_params(token=value, application_pk=application_pk, seconds=seconds,
                                          detail=detail, now=now, checked_client=checked)
    check_params = []
    if checked:
        stored_secret, client_id = client_check
        check_params = [client.pk, client.code, stored_secret, client_id, application_pk, client_id]
    row = prepared.fetch_one(sql, [now, ticket, kind, client.pk, now, *check_params, *params])   # decision 0213
    if row is None:
        return None
    found = _instance(SsoTicket, TICKET_COLUMNS, row[:len(TICKET_COLUMNS)])
    found.user = _instance(User, USER_COLUMNS, row[len(TICKET_COLUMNS):-1])
    token = get_access_token_model()(pk=row[-1], application_id=application_pk, token=value, scope=_TOKEN_SCOPE,
                                     token_checksum=hashlib.sha256(value.encode("utf-8")).hexdigest(),
                                     expires=now + timedelta(seconds=seconds), created=now, updated=now, resource=[])
    token.user = found.user
    token._state.adding = False
    return token, found


def _instance(model, columns, values):
    """A model instance from some of its columns (the others deferred), as the ORM would build it."""
    data = dict(zip(columns, values))
    names = [f.attname for f in model._meta.concrete_fields if f.attname in data]
    return model.from_db(connection.alias, names, [data[name] for name in names])
