"""Catalogue sorting (证照目录梳理, LIC-1.2) as a clean-up tool over the aggregated catalogue (LIC-2.1):

* never reported — a row that passes the quality checks but the national platform never accepted
  (``reported_at`` empty): fix = report it again;
* reported wrongly — a row that fails today's checks (the six of LIC-4.2, plus: its type code is not a
  valid template of ours): fix = withdraw it (a delete row to the national platform) and remove it here.

The administrator sees the findings with their fixes (preview), ticks some or all and confirms; the fixes
run in one transaction (outbox messages + deletions), audited. Nothing changes without the confirmation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.outbox import enqueue
from apps.core.scope import restrict

from ..models import CatalogueRecord, LicenceTemplate
from ..peers.national import PEER
from .aggregation import quality_check
from .kernel import audit_record, require_permission

REPORT, WITHDRAW = "report", "withdraw"


def _row(record: CatalogueRecord) -> dict:
    return {"row_id": str(record.pk), "licence_code": record.licence_code, "name": record.name,
            "type_code": record.type_code, "issuer_code": record.issuer_code, "issuer_name": record.issuer_name,
            "holder_name": record.holder_name, "holder_kind": _holder_kind(record.holder_code),
            "holder_code": record.holder_code, "issued_on": record.issued_on.isoformat(),
            "access_url": record.access_url}


def _holder_kind(code: str) -> str:
    return "natural_person" if len(code or "") == 18 and code[:17].isdigit() else (
        "project" if "-" in (code or "") else "legal_person")


def catalogue_sorting_findings(user) -> list[dict]:
    """Preview: every aggregated row needing a fix, with the problem and the fix (one query + templates)."""
    known = set(LicenceTemplate.objects.filter(is_valid=True).values_list("type_code", flat=True))
    findings = []
    for record in restrict(CatalogueRecord.objects.select_related("route").order_by("licence_code"), user):
        reasons = quality_check(_row(record))
        if record.type_code not in known:
            reasons.append(_("证照类型代码不在证照目录（有效模板）中。"))
        if reasons:
            findings.append({"record": record, "problem": _("上报有误"), "reasons": reasons, "fix": WITHDRAW,
                             "fix_label": _("撤回国家平台目录并清除")})
        elif record.reported_at is None:
            findings.append({"record": record, "problem": _("从未上报"), "reasons": [], "fix": REPORT,
                             "fix_label": _("重新上报国家平台")})
    return findings


@transaction.atomic
def catalogue_sorting_apply(*, actor, record_ids: list[int]) -> dict:
    """Apply the previewed fixes of the ticked rows; findings are recomputed so a stale page fixes nothing wrong."""
    require_permission(actor, "licences.change_cataloguerecord")
    wanted = {int(pk) for pk in record_ids}
    if not wanted:
        raise ValidationError(_("请至少勾选一条需要整改的目录。"))
    findings = [f for f in catalogue_sorting_findings(actor) if f["record"].pk in wanted]
    if len(findings) != len(wanted):
        raise ValidationError(_("勾选的目录已不需要整改或不在您的数据范围内，请刷新后重试。"))
    report = [f["record"] for f in findings if f["fix"] == REPORT]
    withdraw = [f["record"] for f in findings if f["fix"] == WITHDRAW]
    rows = [{"id": r.pk, "licence_code": r.licence_code, "operation": "insert", "name": r.name,
             "type_code": r.type_code, "issuer_code": r.issuer_code, "holder_name": r.holder_name,
             "issued_on": r.issued_on.isoformat(), "access_url": r.access_url} for r in report]
    rows += [{"id": None, "licence_code": r.licence_code, "operation": "delete", "type_code": r.type_code}
             for r in withdraw]
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    enqueue(peer=PEER, kind="catalogue", payload={"source": "catalogue-sorting", "rows": rows},
            idempotency_key=f"licences:sorting:{stamp}:{','.join(str(pk) for pk in sorted(wanted))}"[:200])
    audit_record(actor=actor, action="update", obj=None, detail="catalogue sorting",
                 changes={"reported": [None, [r.licence_code for r in report]],
                          "withdrawn": [None, [r.licence_code for r in withdraw]]})
    CatalogueRecord.objects.filter(pk__in=[r.pk for r in withdraw]).delete()
    return {"reported": len(report), "withdrawn": len(withdraw)}
