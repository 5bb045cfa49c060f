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
import secrets
from datetime import timedelta

from django.db import connection
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from apps.core.middleware import current_request
from apps.core.models.audit import AuditAction, AuditLog
from apps.core.services.audit import _request_fields, mask_changes
from apps.identity.models import SsoTicket, User
from apps.identity.sso.inserts import column, insert_values, table

# What a ticket exchange reads of the ticket's user: the token's owner and the audit actor.
USER_COLUMNS = ("id", "username", "organisation_id", "is_active", "kind")
TICKET_COLUMNS = ("id", "ticket", "kind", "client_id", "user_id", "acting_for_id", "service", "used_at", "expires_at")
_ACTOR_FIELDS = ("actor_id", "actor_username", "actor_organisation_id")


def _access_token(*, application_pk, seconds: int):
    token = get_access_token_model()(application_id=application_pk, token=secrets.token_urlsafe(32),
                                     scope="openid profile", expires=timezone.now() + timedelta(seconds=seconds))
    return token


def _audit_row(detail: str):
    """The row `audit_record(actor=<the ticket's user>, action="login", detail=…)` writes, without its
    actor columns (the statement fills them from the user it has just found)."""
    request = current_request()
    record = AuditLog(action=AuditAction.LOGIN, detail=detail[:500], **_request_fields(request))
    record.changes = mask_changes(None, None)
    return record


@functools.lru_cache(maxsize=4)
def _sql(token_cols, token_marks, audit_cols, audit_marks) -> str:
    AccessToken = get_access_token_model()
    users = table(User)
    ticket_returning = ", ".join(column(SsoTicket, name.removesuffix("_id")) for name in TICKET_COLUMNS)
    spent_columns = ", ".join(f"spent.{column(SsoTicket, name.removesuffix('_id'))}" for name in TICKET_COLUMNS)
    user_columns = ", ".join(f"u.{column(User, name.removesuffix('_id'))} AS u_{name}" for name in USER_COLUMNS)
    owner_user = ", ".join(f"owner.u_{name}" for name in USER_COLUMNS)
    token_insert = (f"INSERT INTO {table(AccessToken)} ({', '.join(token_cols + (column(AccessToken, 'user'),))}) "
                    f"SELECT {', '.join(token_marks)}, owner.u_id FROM owner RETURNING id")
    actor_cols = tuple(column(AuditLog, name.removesuffix("_id")) for name in _ACTOR_FIELDS)
    audit_insert = (f"INSERT INTO {table(AuditLog)} ({', '.join(audit_cols + actor_cols)}) "
                    f"SELECT {', '.join(audit_marks)}, owner.u_id, LEFT(owner.u_username, 150), "
                    f"owner.u_organisation_id FROM owner RETURNING id")
    tickets = table(SsoTicket)
    return (f"WITH spent AS (UPDATE {tickets} SET {column(SsoTicket, 'used_at')} = %s "
            f"WHERE {column(SsoTicket, 'ticket')} = %s AND {column(SsoTicket, 'kind')} = %s "
            f"AND {column(SsoTicket, 'client')} = %s AND {column(SsoTicket, 'used_at')} IS NULL "
            f"AND {column(SsoTicket, 'expires_at')} > %s RETURNING {ticket_returning}), "
            f"owner AS (SELECT {spent_columns}, {user_columns} FROM spent JOIN {users} u "
            f"ON u.{column(User, 'id')} = spent.{column(SsoTicket, 'user')}), "
            f"issued AS ({token_insert}), audited AS ({audit_insert}) "
            f"SELECT {', '.join(f'owner.{c}' for c in (column(SsoTicket, n.removesuffix('_id')) for n in TICKET_COLUMNS))}, "
            f"{owner_user}, issued.id FROM owner, issued, audited")


def spend_and_issue(*, ticket: str, kind: str, client, application_pk, seconds: int, detail: str):
    """(access token, spent ticket with its user's identity columns), or None when no unused,
    unexpired ticket of `client` was there to spend (then nothing was written)."""
    token = _access_token(application_pk=application_pk, seconds=seconds)
    audit = _audit_row(detail)
    token_cols, token_marks, token_params = insert_values(token, skip=("user_id",))
    audit_cols, audit_marks, audit_params = insert_values(audit, skip=_ACTOR_FIELDS)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(_sql(tuple(token_cols), tuple(token_marks), tuple(audit_cols), tuple(audit_marks)),
                       [now, ticket, kind, client.pk, now, *token_params, *audit_params])
        row = cursor.fetchone()
    if row is None:
        return None
    found = _instance(SsoTicket, TICKET_COLUMNS, row[:len(TICKET_COLUMNS)])
    found.user = _instance(User, USER_COLUMNS, row[len(TICKET_COLUMNS):-1])
    token.pk = row[-1]
    token.user = found.user
    token._state.adding = False
    return token, found


def _instance(model, columns, values):
    """A model instance from some of its columns (the others deferred), as the ORM would build it."""
    data = dict(zip(columns, values))
    names = [f.attname for f in model._meta.concrete_fields if f.attname in data]
    return model.from_db(connection.alias, names, [data[name] for name in names])
