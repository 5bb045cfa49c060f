"""Running a query service (STORE-3.x): who may ask, what is asked, what is shown, what is recorded.

    answer = run_query(user=request.user, service=get_service("enterprise-basic"), data=request.POST,
                       client_key=client_address(request))

The page and the API both call this one function, so the rules cannot drift apart:
1. access — public services answer anyone; personal ones a natural person at real-name level ≥ 2 (their
   own ID number and name are sent, never typed); enterprise ones a signed-in legal person (own credit code);
2. a sliding-window limit per account (or address) against scraping;
3. the typed fields are validated before the source is called — bad input costs no call;
4. the source answers (or this platform, for 办事进度); an unavailable source is a clear 503, not a crash;
5. masked columns are masked here, for every channel;
6. every personal or enterprise query is audited (who asked which service, how many records; never the
   values asked for).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.core import ratelimit
from apps.core.audit import AuditAction, audit_record
from apps.core.crypto import mask, mask_id_number, mask_mobile
from apps.core.outbox import PeerPermanentError, PeerTemporaryError
from apps.identity.models import RealNameLevel, UserKind
from apps.stores.adapters.query_source import Filter, QuerySourceClient, SourceAnswer
from apps.stores.queries_catalogue import FIELDS, Access, Column, Mode, QueryService
from apps.stores.queries_forms import query_form

PERSON_MIN_LEVEL = RealNameLevel.VERIFIED

# The source's record field each input is compared with (the same name unless listed).
RECORD_FIELD = {"enterprise_name": "entity_name", "keyword": "name", "city": "region_code"}


class QueryRefused(Exception):
    """The query may not run: `status` 401 (sign in), 403 (wrong account / level), 429, 503."""

    def __init__(self, status: int, message: str, *, action_url: str = ""):
        super().__init__(message)
        self.status, self.message, self.action_url = status, message, action_url


@dataclass(frozen=True)
class QueryAnswer:
    service: QueryService
    columns: tuple[Column, ...]
    rows: list[dict]          # column code → display value (masked where the column says so)
    total: int

    @property
    def shown(self) -> int:
        return len(self.rows)

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)

    @property
    def cells(self) -> list[list[str]]:
        """The rows as table cells, in column order."""
        return [[row[column.code] for column in self.columns] for row in self.rows]

    @property
    def verdict(self) -> str:
        return self.rows[0].get("verdict", "") if self.rows else ""

    @property
    def verdict_details(self) -> list[tuple[str, str]]:
        """(label, value) of a verify answer's other columns, shown when the verdict is 一致."""
        if not self.rows:
            return []
        return [(column.label, self.rows[0][column.code]) for column in self.columns if column.code != "verdict"]


def check_access(user, service: QueryService) -> None:
    """Raise QueryRefused unless `user` may run `service` (anonymous users are AnonymousUser)."""
    if service.access == Access.PUBLIC:
        return
    if not user.is_authenticated:
        raise QueryRefused(401, _("该查询涉及个人或企业信息，请先登录。"))
    if service.access == Access.PERSON:
        if user.kind != UserKind.NATURAL_PERSON:
            raise QueryRefused(403, _("该查询仅限自然人账号本人使用。"))
        if user.real_name_level < PERSON_MIN_LEVEL or not user.id_number:
            raise QueryRefused(403, _("该查询需要实名等级二级及以上，请先完成实名核验。"), action_url="sso:level-upgrade")
    elif user.kind != UserKind.LEGAL_PERSON or not user.credit_code:
        raise QueryRefused(403, _("该查询仅限法人账号查询本单位信息。"))


def _throttle(user, client_key: str) -> None:
    who = f"u{user.pk}" if user.is_authenticated else f"ip{client_key}"
    if not ratelimit.admit(f"stores-query:{who}", limit=settings.STORES_QUERY_RATE_PER_MINUTE, window=60):
        raise QueryRefused(429, _("查询过于频繁，请一分钟后再试。"))


def _account_filters(user, service: QueryService) -> list[Filter]:
    values = {"id_number": lambda: user.id_number.upper(), "name": lambda: user.full_name,
              "credit_code": lambda: user.credit_code.upper()}
    return [Filter(code, "exact", values[code]()) for code in service.key_fields]


def _typed_filters(service: QueryService, cleaned: dict) -> list[Filter]:
    return [Filter(RECORD_FIELD.get(field.code, field.code), FIELDS[field.code].match, cleaned[field.code])
            for field in service.inputs if cleaned.get(field.code)]


def _display(value, column: Column) -> str:
    text = "" if value is None else str(value)
    if not column.masked or not text:
        return text
    if column.code.endswith("id_number"):
        return mask_id_number(text)
    if column.code in ("mobile", "telephone"):
        return mask_mobile(text)
    return mask(text, keep_start=4, keep_end=4)


def _ask_source(service: QueryService, filters: list[Filter], cleaned: dict) -> SourceAnswer:
    if service.mode == Mode.LOCAL:
        from apps.stores.queries_local import answer_locally

        return answer_locally(service, cleaned)
    try:
        return QuerySourceClient().query(service.code, mode=str(service.mode), filters=filters)
    except (PeerTemporaryError, PeerPermanentError) as exc:
        raise QueryRefused(503, _("%(source)s的数据接口暂时无法访问，请稍后再试。") % {"source": service.source}) from exc


def run_query(*, user, service: QueryService, data, client_key: str = "") -> QueryAnswer:
    """Validate, ask the source and shape the answer; raises QueryRefused or ValidationError."""
    check_access(user, service)
    _throttle(user, client_key)
    form = query_form(service, data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    filters = _account_filters(user, service) + _typed_filters(service, form.cleaned_data)
    answer = _ask_source(service, filters, form.cleaned_data)
    rows = [{column.code: _display(record.get(column.code), column) for column in service.columns}
            for record in answer.records]
    if service.access != Access.PUBLIC or service.mode == Mode.LOCAL:
        audit_record(actor=user if user.is_authenticated else None, action=AuditAction.QUERY,
                     detail=f"{service.spec_id} {service.name}：{answer.total} 条")
    return QueryAnswer(service=service, columns=service.columns, rows=rows, total=answer.total)
