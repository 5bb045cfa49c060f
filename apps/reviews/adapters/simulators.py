"""Simulators of the national 好差评 system and the provincial hotline (real HTTP).

National:  POST /evaluations, POST /rectifications (Idempotency-Key), GET /checks (quality-inspection
results of what it received; every evaluation whose comment contains "测试" fails), POST /control.
           An evaluation record missing a national field or carrying a code outside its list is
           refused with 400 (what the national interface does), so a wrong mapping dies in the outbox.
Matter library: POST /satisfaction (Idempotency-Key) — per-item satisfaction written back (REV-21.1),
           GET /satisfaction lists the latest value of every item.
Hotline:   POST /work-orders (Idempotency-Key), GET /work-orders, POST /control.
"""
from __future__ import annotations

import json
import re

from apps.core.adapters.simulators import JsonPeerSimulator


#: Required fields of a national evaluation record and the values each may take (None = any text).
#: reference-codes.md §7.5 (evaluation record) plus the applicant's certKey / userPageType (§7.5
#: service push, §2: no plain ID number, the national identity hash instead).
NATIONAL_FIELDS = {
    "assessId": None, "projectNo": None, "taskCode": None, "taskHandleItem": None,
    "pf": {"1", "2", "3", "4", "5", "6", "7"}, "userId": None, "userName": None, "userProp": {"1", "2"},
    "userPageType": {"", "111", "001"}, "certKey": None, "anonymityFlag": {"1", "2"},
    "satisfaction": {"1", "2", "3", "4", "5"}, "evalDetail": None, "writingEvaluation": None, "assessTime": None,
    "assessNumber": {"1", "2"}, "appStatus": {"0", "1", "2", "3"}, "proManager": None, "proDepart": None,
    "proDepartCode": None, "areaCode": None,
}
TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
PLAIN_ID = re.compile(r"^\d{17}[\dXx]$")


def _identity_error(item: dict) -> str:
    """certKey is required with a certificate type, forbidden without one, and never a plain number."""
    if item["userPageType"] and not item["certKey"]:
        return "certKey missing (required when userPageType is given)"
    if item["certKey"] and not item["userPageType"]:
        return "userPageType missing (required with certKey)"
    if PLAIN_ID.match(item["certKey"]) or re.fullmatch(r"[0-9A-HJ-NPQRTUWXY]{18}", item["certKey"]):
        return "certKey must be the identity hash, not a certificate number"
    return ""


def national_record_error(item: dict) -> str:
    """Why the national interface would refuse this record ("" if it would not)."""
    for name, values in NATIONAL_FIELDS.items():
        if name not in item or not isinstance(item[name], str):
            return f"{name} missing or not a string"
        if values is not None and item[name] not in values:
            return f"{name}={item[name]!r} not in its code list"
    if not item["assessId"]:
        return "assessId empty"
    if not TIME.match(item["assessTime"]):
        return "assessTime must be yyyy-MM-dd HH:mm:ss"
    if len(item["proDepartCode"]) != 18:
        return "proDepartCode must be an 18-character USCC"
    if not re.fullmatch(r"\d{6}", item["areaCode"]):
        return "areaCode must be a six-digit GB/T 2260 code"
    return _identity_error(item)


class NationalReviewSimulator(JsonPeerSimulator):
    resource = "/evaluations"

    def reset_state(self) -> None:
        self.batches: dict[str, dict] = {}
        self.rectifications: dict[str, dict] = {}

    @property
    def evaluations(self) -> list[dict]:
        return [e for batch in self.batches.values() for e in batch.get("evaluations", [])]

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        if not isinstance(body.get("evaluations"), list) or not body["evaluations"]:
            return 400, {"error": "evaluations list required"}
        for item in body["evaluations"]:
            error = national_record_error(item) if isinstance(item, dict) else "record must be an object"
            if error:
                return 400, {"error": error}
        duplicate = key in self.batches
        self.batches.setdefault(key, body)
        return 200, {"ok": True, "duplicate": duplicate}

    def listing(self) -> dict:
        return {"evaluations": self.evaluations, "rectifications": list(self.rectifications.values())}

    def checks(self) -> list[dict]:
        return [{"assessId": e["assessId"], "passed": "测试" not in e["writingEvaluation"],
                 "note": "" if "测试" not in e["writingEvaluation"] else "评价内容疑似测试数据"}
                for e in self.evaluations]

    def __call__(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "").rstrip("/")
        if method == "POST" and path == "/rectifications":
            key = environ.get("HTTP_IDEMPOTENCY_KEY", "")
            body = self.read_json(environ)
            with self._lock:
                self.requests += 1
                if self.fail_next > 0:
                    self.fail_next -= 1
                    return _respond(start_response, self.fail_status, {"error": "injected failure"})
                if not key or not body or not body.get("evaluation_number"):
                    return _respond(start_response, 400, {"error": "key and evaluation_number required"})
                self.rectifications.setdefault(key, body)
            return _respond(start_response, 200, {"ok": True})
        if method == "GET" and path == "/checks":
            with self._lock:
                return _respond(start_response, 200, {"checks": self.checks()})
        return super().__call__(environ, start_response)


class HotlineSimulator(JsonPeerSimulator):
    resource = "/work-orders"

    def reset_state(self) -> None:
        self.orders: dict[str, dict] = {}

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        if not body.get("order_number") or body.get("stars") not in (1, 2):
            return 400, {"error": "order_number and stars 1-2 required"}
        self.orders.setdefault(key, body)
        return 200, {"ok": True}

    def listing(self) -> dict:
        return {"orders": list(self.orders.values())}


class MatterLibrarySimulator(JsonPeerSimulator):
    """The item library's write-back interface: keeps the latest satisfaction of each item code
    (a higher version replaces a lower one; a repeated key changes nothing)."""

    resource = "/satisfaction"

    def reset_state(self) -> None:
        self.items: dict[str, dict] = {}
        self.batches: dict[str, dict] = {}

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        rows = body.get("items")
        if not isinstance(rows, list) or not rows:
            return 400, {"error": "items list required"}
        for row in rows:
            if not row.get("taskCode") or not isinstance(row.get("version"), int):
                return 400, {"error": "taskCode and integer version required"}
        duplicate = key in self.batches
        if not duplicate:
            self.batches[key] = body
            for row in rows:
                if row["version"] > self.items.get(row["taskCode"], {}).get("version", -1):
                    self.items[row["taskCode"]] = row
        return 200, {"ok": True, "duplicate": duplicate}

    def listing(self) -> dict:
        return {"items": list(self.items.values())}


def _respond(start_response, status: int, body: dict):
    data = json.dumps(body, ensure_ascii=False).encode()
    start_response(f"{status} {'OK' if status < 400 else 'ERROR'}",
                   [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(data)))])
    return [data]
