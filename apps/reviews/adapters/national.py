"""National 好差评 system adapter (REV-22.0, 11.4.7, 9.6, 24.1).

    POST {url}/evaluations        {"evaluations": [record, ...]}     Idempotency-Key → {"ok": true}
    POST {url}/rectifications     full disposal record               Idempotency-Key → {"ok": true}
    GET  {url}/checks             → {"checks": [{"assessId", "passed", "note"}]}

Evaluation records use the national interface's field names and code lists
(/work/shared/reference-codes.md §7.2–7.5; decision 0606): `pf` channel codes 1–7, `satisfaction`
5 = 非常满意 … 1 = 非常不满意 (the reverse of our level numbers), `anonymityFlag` 1 是 / 2 否,
`userProp` 1 个人 / 2 法人, `evalDetail` the tags' national codes (国办编码) comma-separated,
`assessTime` "yyyy-MM-dd HH:mm:ss", `proDepartCode` the department's USCC, `areaCode` the GB/T 2260
six-digit code, `certKey` the identity hash of the evaluator (never the plain ID number) with its
certificate type `userPageType` (111 居民身份证, 001 统一社会信用代码), `userId`, `taskHandleItem`
and `appStatus`. What the national set has no field for travels under "ext".
"""
from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from apps.core.adapters.http import post_json, request
from apps.core.outbox import PeerPermanentError

DEFAULT_URL = "http://127.0.0.1:8051"


#: Our channels → national `pf` codes (GB/T 39046 Table 9 order; reference-codes §7.3).
PF_CODES = {"pc": "1", "app": "2", "qr": "3", "hall": "4", "self_service_terminal": "5", "hotline": "6", "sms": "7"}
NATIONAL_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def satisfaction_code(level: int) -> str:
    """Our level (1 = 非常满意) → the national `satisfaction` code (5 = 非常满意)."""
    return str(6 - int(level))


def user_prop(evaluator, cert_type: str = "") -> str:
    """`userProp` of the evaluation record: 1 个人, 2 法人."""
    return "2" if getattr(evaluator, "kind", "") == "legal_person" or cert_type == CERT_TYPE_USCC else "1"


#: `userPageType` (GA/T 2000.156 / GB/T 36903): the certificate whose hash `certKey` carries.
CERT_TYPE_ID_CARD, CERT_TYPE_USCC = "111", "001"
#: `appStatus` (审核状态) from our publication status — codes unconfirmed (decision 0606).
APP_STATUS = {"not_needed": "0", "pending": "1", "published": "2", "withheld": "3"}


def default_cert_key(number: str, name: str) -> str:
    """Stand-in for the national unified identity system's hash of certificate number + name:
    SM3 of the upper-cased number followed by the name, 64 upper-case hex characters. Replaced by
    setting REVIEWS_NATIONAL_CERT_KEY_FUNCTION to the national function's dotted path."""
    from apps.core.crypto import sm3_hex

    return sm3_hex(f"{number.strip().upper()}{name.strip()}".encode()).upper()


def cert_key(number: str, name: str) -> str:
    """`certKey` of one certificate number and name ("" when either is unknown)."""
    if not number or not name:
        return ""
    path = getattr(settings, "REVIEWS_NATIONAL_CERT_KEY_FUNCTION", "")
    return (import_string(path) if path else default_cert_key)(number, name)


def evaluator_identity(evaluation) -> tuple[str, str]:
    """(userPageType, certKey) of whoever evaluated: the signed-in account's certificate, else the
    applicant of the evaluated case (an evaluation through the receipt QR, the SMS link or the hall
    pad is the applicant's), else what an integrator supplied for the row; ("", "") when unknown.
    Only the hash leaves the platform; the number itself is read here and dropped."""
    supplied = getattr(evaluation, "identity", None)
    if supplied:
        return supplied
    user = evaluation.evaluator
    if user is not None:
        if getattr(user, "kind", "") == "legal_person" and user.credit_code:
            return CERT_TYPE_USCC, cert_key(user.credit_code, user.full_name or evaluation.evaluator_name)
        if getattr(user, "kind", "") == "natural_person" and user.id_number:
            return CERT_TYPE_ID_CARD, cert_key(user.id_number, user.full_name or evaluation.evaluator_name)
    case = evaluation.case
    if case is not None and case.applicant_id_number:
        kind = CERT_TYPE_USCC if case.applicant_kind == "legal_person" else CERT_TYPE_ID_CARD
        return kind, cert_key(case.applicant_id_number, case.applicant_name)
    return "", ""


def national_evaluation_record(evaluation) -> dict:
    """One evaluation as the national interface expects it (no plain ID number is ever sent)."""
    organisation, case, matter = evaluation.organisation, evaluation.case, evaluation.matter
    codes = getattr(evaluation, "tag_codes", None)
    cert_type, key = evaluator_identity(evaluation)
    return {
        "assessId": evaluation.evaluation_number,
        "projectNo": case.case_number if case is not None else "",
        "taskCode": matter.implementation_code if matter is not None else "",
        "taskHandleItem": "",  # 业务办理项编码: our items are not split into handling items
        "taskName": matter.name if matter is not None else "",
        "pf": PF_CODES[evaluation.channel],
        "userId": str(evaluation.evaluator_id or ""),
        "userProp": user_prop(evaluation.evaluator, cert_type),
        "userPageType": cert_type,
        "certKey": key,
        "userName": "" if evaluation.is_anonymous else evaluation.evaluator_name,
        "anonymityFlag": "1" if evaluation.is_anonymous else "2",
        "satisfaction": satisfaction_code(evaluation.level),
        "evalDetail": ",".join(codes if codes is not None else evaluation.tags),
        "writingEvaluation": evaluation.comment,
        "assessTime": timezone.localtime(evaluation.evaluated_at).strftime(NATIONAL_TIME_FORMAT),
        "assessNumber": "1",
        "appStatus": APP_STATUS.get(evaluation.publication_status, "0"),
        "proManager": evaluation.staff.name if evaluation.staff_id else "",
        "proDepart": organisation.name,
        "proDepartCode": organisation.credit_code,
        "areaCode": evaluation.region_id[:6],
        "ext": {"objectKind": evaluation.object_kind, "isDefault": evaluation.is_default,
                "regionCode": evaluation.region_id, "indicators": evaluation.indicators},
    }


class NationalReviewSystem(Protocol):
    def push_evaluations(self, payload: dict, *, idempotency_key: str) -> None: ...

    def push_rectification(self, payload: dict, *, idempotency_key: str) -> None: ...

    def fetch_checks(self) -> list[dict]: ...


class NationalReviewClient:
    def __init__(self, url: str | None = None):
        self.url = (url or getattr(settings, "REVIEWS_NATIONAL_URL", "") or DEFAULT_URL).rstrip("/")

    def push_evaluations(self, payload: dict, *, idempotency_key: str) -> None:
        post_json(f"{self.url}/evaluations", payload, idempotency_key=idempotency_key)

    def push_rectification(self, payload: dict, *, idempotency_key: str) -> None:
        post_json(f"{self.url}/rectifications", payload, idempotency_key=idempotency_key)

    def fetch_checks(self) -> list[dict]:
        checks = request("GET", f"{self.url}/checks", interface="reviews.national").json().get("checks")
        if not isinstance(checks, list):
            raise PeerPermanentError("national 好差评: 'checks' list expected")
        return checks


def send_to_national(message) -> None:
    """Outbox sender of peer "reviews_national"."""
    client = NationalReviewClient()
    if message.kind == "rectification":
        client.push_rectification(message.payload, idempotency_key=message.idempotency_key)
        from apps.reviews.models import BadReviewDisposal
        from apps.reviews.services.disposals import disposal_mark_reported

        number = message.payload.get("evaluation_number")  # rectification records keep our own names
        for pk in BadReviewDisposal.objects.filter(evaluation__evaluation_number=number).values_list("pk", flat=True):
            disposal_mark_reported(disposal_id=pk)
    else:
        client.push_evaluations(message.payload, idempotency_key=message.idempotency_key)
