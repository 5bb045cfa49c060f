"""Reads of supervision, already cut to the acting user's data scope (apps.core.scope)."""
from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.navigation import InboxItem
from apps.core.scope import restrict
from apps.core.workflow import timeline_for
from apps.supervision.models import (
    DONE_STATUSES,
    Complaint,
    ComplaintSource,
    ComplaintStatus,
    ExtensionRequest,
    NetizenEvaluation,
    OverdueReminder,
    PublicationNotice,
    WithdrawalRequest,
)

LIST_RELATED = ("region", "department")


def complaint_list(*, user, source: str | None = None, done: bool | None = None) -> QuerySet[Complaint]:
    queryset = restrict(Complaint.objects.select_related(*LIST_RELATED), user)
    if source:
        queryset = queryset.filter(source=source)
    if done is True:
        queryset = queryset.filter(status__in=DONE_STATUSES)
    elif done is False:
        queryset = queryset.exclude(status__in=DONE_STATUSES)
    return queryset


def access_complaint(user, pk) -> Complaint:
    """The complaint if `user` may see it, else 404 (never 403: no hint that it exists)."""
    complaint = complaint_list(user=user).select_related("handler").filter(pk=pk).first()
    if complaint is None:
        raise Http404(_("投诉不存在或不在您的数据范围内。"))
    return complaint


def complaint_related(complaint: Complaint) -> dict:
    """Everything the detail page shows besides the complaint itself."""
    return {
        "transitions": timeline_for(complaint),
        "extensions": list(ExtensionRequest.objects.filter(complaint=complaint)),
        "withdrawals": list(WithdrawalRequest.objects.filter(complaint=complaint)),
        "overdue_reminders": list(OverdueReminder.objects.filter(complaint=complaint)),
        "evaluations": list(NetizenEvaluation.objects.filter(complaint=complaint)),
        "publications": list(PublicationNotice.objects.filter(complaint=complaint)),
    }


def done_lookup(*, user, case_number: str, query_code: str = "") -> QuerySet[Complaint]:
    """PORTAL-1.3: done cases by case number and/or query code, within the user's scope."""
    queryset = complaint_list(user=user, done=True)
    if not case_number and not query_code:
        return queryset.none()
    if case_number:
        queryset = queryset.filter(case_number=case_number.strip())
    if query_code:
        queryset = queryset.filter(query_code=query_code.strip().upper())
    return queryset


def public_lookup(*, case_number: str, query_code: str) -> Complaint | None:
    """A complainant finds a complaint with its case number AND query code (both required)."""
    if not case_number or not query_code:
        return None
    return (Complaint.objects.select_related(*LIST_RELATED)
            .filter(case_number=case_number.strip(), query_code=query_code.strip().upper()).first())


TODO_FOR_HANDLER = (ComplaintStatus.PENDING, ComplaintStatus.RETURNED, ComplaintStatus.RESULT_ENTERED,
                    ComplaintStatus.REVIEWED, ComplaintStatus.REPLIED, ComplaintStatus.RETAINED)
TODO_FOR_DEPARTMENT = (ComplaintStatus.TRANSFERRED, ComplaintStatus.ASSIGNED, ComplaintStatus.RECEIVED,
                       ComplaintStatus.REOPENED)


def todo_list(*, user) -> QuerySet[Complaint]:
    """待办: complaints waiting for this user's action (handler steps or department steps)."""
    statuses: list[str] = []
    if user.has_perm("supervision.handle_complaint"):
        statuses += TODO_FOR_HANDLER
    if user.has_perm("supervision.process_complaint"):
        statuses += TODO_FOR_DEPARTMENT
    return complaint_list(user=user).filter(status__in=statuses)


def inbox_items(*, user) -> list[InboxItem]:
    if not (user.has_perm("supervision.handle_complaint") or user.has_perm("supervision.process_complaint")):
        return []
    return [InboxItem(title=f"{c.case_number} {c.title}", url=c.get_absolute_url(),
                      category=_("投诉待办：%(s)s") % {"s": c.get_status_display()}, due_at=c.deadline,
                      created_at=c.submitted_at) for c in todo_list(user=user).order_by("deadline", "-pk")[:50]]


def provincial_digest() -> str:
    """PORTAL-10.1 content: today's provincial complaint figures for the scheduled SMS push."""
    today = timezone.localdate()
    now = timezone.now()
    base = Complaint.objects.filter(source=ComplaintSource.PROVINCIAL)
    figures = base.aggregate(
        new=Count("pk", filter=Q(submitted_at__date=today)),
        pending=Count("pk", filter=Q(status=ComplaintStatus.PENDING)),
        open=Count("pk", filter=~Q(status__in=DONE_STATUSES)),
        overdue=Count("pk", filter=~Q(status__in=DONE_STATUSES) & Q(deadline__lt=now)),
        done=Count("pk", filter=Q(status__in=DONE_STATUSES, concluded_at__date=today)),
    )
    return (_("【省级投诉】%(d)s：今日新增%(new)s件，待受理%(pending)s件，办理中%(open)s件，"
              "超期%(overdue)s件，今日办结%(done)s件。") % {"d": f"{today:%m月%d日}", **figures})
