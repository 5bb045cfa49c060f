"""National quality-inspection results (国家质检, REV-9.6): fetched and stored per evaluation."""
from __future__ import annotations

from django.db import transaction

from apps.reviews.adapters.national import NationalReviewClient
from apps.reviews.models import Evaluation, NationalCheck


def national_checks_fetch(*, client=None) -> dict:
    checks = (client or NationalReviewClient()).fetch_checks()
    counts = {"passed": 0, "failed": 0}
    with transaction.atomic():
        for check in checks:
            number = str(check.get("assessId") or "")
            passed = bool(check.get("passed"))
            updated = Evaluation.objects.filter(evaluation_number=number).update(
                national_check=NationalCheck.PASSED if passed else NationalCheck.FAILED,
                national_check_note=str(check.get("note") or "")[:255])
            if updated:
                counts["passed" if passed else "failed"] += 1
    return counts
