"""The data sources behind the query services (STORE-3.x): the shared data-exchange gateway.

Contract (one endpoint per service, read-only, so no idempotency key):

    POST {STORES_QUERY_SOURCE_URL}/queries/<code>
         {"mode": "match" | "verify",
          "filters": [{"field": "credit_code", "op": "exact" | "contains" | "prefix", "value": "…"}, …],
          "limit": 50}
      → 200 {"records": [{column: value, …}, …], "total": n}
      → 404 unknown service, 400 malformed request, 5xx / network → the source is unavailable

"verify" answers exactly one record carrying "verdict": 一致 (every filter matches one record),
不一致 (a record has the same ID number(s) but another detail differs) or 查无此人.

`QuerySourceSimulator` is the local peer: it keeps records per service, loaded through
`POST /records/<code>` {"records": [...]} (tests, the demo seeder) and answers the contract above. Failure
injection and reset come from the shared simulator controls (`POST /control`).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from apps.core.adapters.http import request
from apps.core.adapters.simulators import JsonPeerSimulator
from apps.core.outbox import PeerPermanentError

INTERFACE = "stores.query_source"
DEFAULT_URL = "http://127.0.0.1:8075"
MAX_RECORDS = 50


@dataclass(frozen=True)
class Filter:
    field: str
    op: str
    value: str

    def as_dict(self) -> dict:
        return {"field": self.field, "op": self.op, "value": self.value}


@dataclass(frozen=True)
class SourceAnswer:
    records: list[dict]
    total: int


class QuerySourceClient:
    """HTTP client of the gateway; `PeerTemporaryError` / `PeerPermanentError` on failure."""

    def __init__(self, url: str | None = None):
        self.url = (url or getattr(settings, "STORES_QUERY_SOURCE_URL", "") or DEFAULT_URL).rstrip("/")

    def query(self, code: str, *, mode: str, filters: list[Filter]) -> SourceAnswer:
        body = {"mode": mode, "filters": [f.as_dict() for f in filters], "limit": MAX_RECORDS}
        response = request("POST", f"{self.url}/queries/{code}", json=body, interface=INTERFACE)
        try:
            data = response.json()
            records = [dict(record) for record in data["records"]][:MAX_RECORDS]
            total = int(data.get("total", len(records)))
        except (ValueError, KeyError, TypeError) as exc:
            raise PeerPermanentError(f"Query source answered an unexpected body: {response.text[:200]}") from exc
        return SourceAnswer(records=records, total=total)


def _matches(record: dict, flt: dict) -> bool:
    have = str(record.get(flt["field"], "")).upper()
    want = str(flt["value"]).upper()
    if flt["op"] == "contains":
        return want in have
    if flt["op"] == "prefix":
        return have.startswith(want)
    return have == want


class QuerySourceSimulator(JsonPeerSimulator):
    """The gateway with its departments' registers, in memory."""

    resource = "/queries"

    def reset_state(self) -> None:
        self.records: dict[str, list[dict]] = {}
        self.queries: list[tuple[str, dict]] = []

    def add_records(self, code: str, records: list[dict]) -> None:
        with self._lock:
            self.records.setdefault(code, []).extend(dict(record) for record in records)

    def __call__(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/").rstrip("/")
        if path.startswith("/queries/") and method == "POST":
            return self._respond(start_response, *self._query(environ, path.removeprefix("/queries/")))
        if path.startswith("/records/") and method == "POST":
            return self._respond(start_response, *self._load(environ, path.removeprefix("/records/")))
        return super().__call__(environ, start_response)

    @staticmethod
    def _respond(start_response, status: int, body: dict):
        import json

        data = json.dumps(body, ensure_ascii=False).encode()
        start_response(f"{status} {'OK' if status < 400 else 'ERROR'}",
                       [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(data)))])
        return [data]

    def _load(self, environ, code: str) -> tuple[int, dict]:
        body = self.read_json(environ)
        if body is None or not isinstance(body.get("records"), list):
            return 400, {"error": "records (a list) expected"}
        self.add_records(code, body["records"])
        return 200, {"loaded": len(body["records"])}

    def _query(self, environ, code: str) -> tuple[int, dict]:
        from apps.stores.queries_catalogue import BY_CODE

        body = self.read_json(environ)
        with self._lock:
            self.requests += 1
            if self.fail_next > 0:
                self.fail_next -= 1
                return self.fail_status, {"error": "injected failure"}
            if code not in BY_CODE:
                return 404, {"error": f"unknown service {code}"}
            filters = (body or {}).get("filters")
            if not isinstance(filters, list) or not all(
                    isinstance(f, dict) and {"field", "op", "value"} <= f.keys() for f in filters):
                return 400, {"error": "filters: a list of {field, op, value} expected"}
            self.queries.append((code, body))
            records = self.records.get(code, [])
            if body.get("mode") == "verify":
                return 200, {"records": [self._verdict(records, filters)], "total": 1}
            found = [r for r in records if all(_matches(r, f) for f in filters)]
            limit = min(int(body.get("limit") or MAX_RECORDS), MAX_RECORDS)
            return 200, {"records": found[:limit], "total": len(found)}

    @staticmethod
    def _verdict(records: list[dict], filters: list[dict]) -> dict:
        for record in records:
            if all(_matches(record, f) for f in filters):
                return {**record, "verdict": "一致"}
        id_filters = [f for f in filters if f["field"].endswith("id_number")]
        if id_filters and any(all(_matches(r, f) for f in id_filters) for r in records):
            return {"verdict": "不一致"}
        return {"verdict": "查无此人"}

    def listing(self) -> dict:
        return {"services": {code: len(records) for code, records in self.records.items()},
                "queries": len(self.queries)}
