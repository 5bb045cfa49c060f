"""Query services this platform answers from its own records: 办事进度 (STORE-3.92) reads acceptance's
cases through its public look-up (the case number plus the applicant's ID number or credit code, so a
guessed number alone reveals nothing)."""
from __future__ import annotations

from django.utils import timezone

from apps.acceptance.lookup import case_for_number
from apps.stores.adapters.query_source import SourceAnswer
from apps.stores.queries_catalogue import QueryService


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def case_progress(cleaned: dict) -> SourceAnswer:
    case = case_for_number(cleaned["case_number"], cleaned["applicant_code"])
    if case is None:
        return SourceAnswer(records=[], total=0)
    record = {"case_number": case.case_number, "matter": case.item.name, "organisation": case.organisation.name,
              "status": case.get_status_display(), "accepted_at": _when(case.accepted_at),
              "completed_at": _when(case.concluded_at)}
    return SourceAnswer(records=[record], total=1)


LOCAL_ANSWERS = {"case-progress": case_progress}


def answer_locally(service: QueryService, cleaned: dict) -> SourceAnswer:
    return LOCAL_ANSWERS[service.code](cleaned)
