"""Item optimisation analysis (事项优化分析, MAT-5.2): problem discovery over items and cases, proposals
to departments, their answers and the automatic optimisation report."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.models import Region
from apps.core.scope import restrict
from apps.matters.models import (
    ApplicationMaterial, HandlingForm, ImplementationItem, MatterStatus, OptimisationDirection, OptimisationProposal,
    ProposalStatus,
)
from apps.matters.services.kernel import record_transition, require_in_scope, require_permission

ONLINE_FORMS = (HandlingForm.ONLINE, HandlingForm.WINDOW_AND_ONLINE)


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def optimisation_analysis(*, user, region: Region) -> dict:
    """Problem discovery (MAT-5.2.1): per child region of `region`, item indicators (materials per item,
    committed days, share handled online) and case indicators (cases, share filed online), compared with
    the average of the sibling regions; a region worse than the average gets the direction flagged.
    Four grouped queries, whatever the number of regions."""
    children = list(Region.objects.filter(parent=region).order_by("code"))
    items = restrict(ImplementationItem.objects.filter(status=MatterStatus.PUBLISHED,
                                                       region__code__startswith=region.prefix), user)
    rows = {c.code: {"region": c, "items": 0, "materials": 0, "committed": 0, "online": 0, "cases": 0,
                     "online_cases": 0} for c in children}

    def child_of(code: str) -> str | None:
        for c in children:
            if code.startswith(c.prefix):
                return c.code
        return None

    for row in items.order_by().values("region_id").annotate(
            n=Count("pk"), committed=Sum("committed_limit_working_days"),
            online=Count("pk", filter=Q(handling_form__in=ONLINE_FORMS) & ~Q(online_handling_url=""))):
        key = child_of(row["region_id"])
        if key:
            rows[key]["items"] += row["n"]
            rows[key]["online"] += row["online"]
            rows[key]["committed"] += row["committed"] or 0
    for row in (ApplicationMaterial.objects.filter(implementation_item__in=items).order_by()
                .values("implementation_item__region_id").annotate(n=Count("pk"))):
        key = child_of(row["implementation_item__region_id"])
        if key:
            rows[key]["materials"] += row["n"]
    case_model = django_apps.get_model("acceptance", "Case")
    for row in (case_model.objects.filter(item__in=items).order_by().values("region_id")
                .annotate(n=Count("pk"), online=Count("pk", filter=~Q(channel="window")))):
        key = child_of(row["region_id"])
        if key:
            rows[key]["cases"] += row["n"]
            rows[key]["online_cases"] += row["online"]
    result = []
    for row in rows.values():
        n = row["items"]
        result.append({"region": row["region"], "items": n,
                       "materials_per_item": round(row["materials"] / n, 2) if n else 0.0,
                       "committed_days": round(row["committed"] / n, 1) if n else 0.0,
                       "online_rate": _pct(row["online"], n), "cases": row["cases"],
                       "online_case_rate": _pct(row["online_cases"], row["cases"])})
    with_items = [r for r in result if r["items"]]
    average = {key: round(sum(r[key] for r in with_items) / len(with_items), 2) if with_items else 0.0
               for key in ("materials_per_item", "committed_days", "online_rate", "online_case_rate")}
    for r in result:
        r["directions"] = _shortcomings(r, average) if r["items"] else []
    return {"rows": result, "average": average}


def _shortcomings(row: dict, average: dict) -> list[str]:
    found = []
    if row["materials_per_item"] > average["materials_per_item"]:
        found.append(str(OptimisationDirection.FEWER_SUBMISSIONS.label))
    if row["online_rate"] < average["online_rate"] or row["online_case_rate"] < average["online_case_rate"]:
        found.append(str(OptimisationDirection.FEWER_TRIPS.label))
    if row["committed_days"] > average["committed_days"]:
        found.append(_("压缩时限"))
    return found


def proposal_issue(*, actor, item: ImplementationItem, direction: str, problem: str, measure: str) -> OptimisationProposal:
    """The administration sets a measure for a problem and sends it to the exercising department (MAT-5.2.2)."""
    require_permission(actor, "matters.add_optimisationproposal")
    require_in_scope(actor, item)
    if direction not in OptimisationDirection.values:
        raise ValidationError({"direction": _("请选择优化方向（少填、少报、少跑、近办）。")})
    if not problem.strip() or not measure.strip():
        raise ValidationError(_("请填写发现的问题和优化措施。"))
    with transaction.atomic():
        proposal = OptimisationProposal.objects.create(
            implementation_item=item, department=item.implementing_body, region_id=item.region_id,
            direction=direction, problem=problem, measure=measure, issued_by=actor)
        record_transition(obj=proposal, from_state="", to_state=ProposalStatus.ISSUED, actor=actor, action="issue")
    return proposal


def _department_only(actor, proposal) -> None:
    if getattr(actor, "organisation_id", None) != proposal.department_id:
        raise PermissionDenied(_("由事项的实施部门答复。"))


def _move(proposal, expected, to_state, actor, action, **changes) -> None:
    with transaction.atomic():
        locked = OptimisationProposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status not in expected:
            raise ValidationError(_("该建议当前为“%(s)s”，不能执行此操作。") % {"s": locked.get_status_display()})
        from_state = locked.status
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.status = to_state
        locked.save()
        record_transition(obj=locked, from_state=from_state, to_state=to_state, actor=actor, action=action,
                          comment=changes.get("decision_comment", "") or changes.get("result", ""))
    proposal.refresh_from_db()


def proposal_decide(*, actor, proposal: OptimisationProposal, agree: bool, comment: str = "") -> None:
    """The department answers 同意 / 不同意 after internal discussion (MAT-5.2.3); 不同意 needs a reason."""
    _department_only(actor, proposal)
    if not agree and not comment.strip():
        raise ValidationError({"decision_comment": _("不同意时请说明理由。")})
    _move(proposal, (ProposalStatus.ISSUED,), ProposalStatus.AGREED if agree else ProposalStatus.DISAGREED, actor,
          "agree" if agree else "disagree", decision_comment=comment, responded_at=timezone.now())


def proposal_report(*, actor, proposal: OptimisationProposal, result: str) -> None:
    """After optimising, the department reports what it changed (MAT-5.2.3)."""
    _department_only(actor, proposal)
    if not result.strip():
        raise ValidationError({"result": _("请填写优化结果。")})
    _move(proposal, (ProposalStatus.AGREED,), ProposalStatus.IMPLEMENTED, actor, "report", result=result)


def optimisation_report(*, user, start: date | None = None, end: date | None = None) -> dict:
    """The automatic optimisation report (MAT-5.2.4): proposals issued, optimisations carried out and
    their paths (directions), and the response rate — overall and per department. One query."""
    proposals = restrict(OptimisationProposal.objects.all(), user)
    if start:
        proposals = proposals.filter(issued_at__date__gte=start)
    if end:
        proposals = proposals.filter(issued_at__date__lte=end)
    rows = list(proposals.order_by().values("department_id", "department__name", "direction", "status")
                .annotate(n=Count("pk")))
    per_department: dict = defaultdict(Counter)
    paths: Counter = Counter()
    for row in rows:
        counter = per_department[(row["department_id"], row["department__name"])]
        counter["_total"] += row["n"]
        counter[row["status"]] += row["n"]
        if row["status"] == ProposalStatus.IMPLEMENTED:
            paths[str(OptimisationDirection(row["direction"]).label)] += row["n"]

    def summary(counter: Counter) -> dict:
        responded = counter["_total"] - counter[ProposalStatus.ISSUED]
        return {"issued": counter["_total"], "responded": responded, "agreed": counter[ProposalStatus.AGREED]
                + counter[ProposalStatus.IMPLEMENTED], "disagreed": counter[ProposalStatus.DISAGREED],
                "implemented": counter[ProposalStatus.IMPLEMENTED], "response_rate": _pct(responded, counter["_total"])}

    total: Counter = Counter()
    for counter in per_department.values():
        total.update(counter)
    return {"total": summary(total), "paths": dict(paths),
            "departments": sorted(({"department": name, **summary(c)} for (_pk, name), c in per_department.items()),
                                  key=lambda r: r["department"])}
