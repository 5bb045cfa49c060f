"""Portal pages of 好差评: evaluation data, bad-review disposal and appeals, publication review,
abnormal evaluations, statistics, the integrator workspace and access monitoring."""
from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from apps.core.exports import ExportColumn
from apps.core.scope import restrict
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin, StaffRequiredMixin
from apps.core.workflow import timeline_for
from apps.identity.models import User
from apps.reviews import selectors
from apps.reviews.filters import (
    AbnormalFilterSet, AppealFilterSet, DisposalFilterSet, EvaluationFilterSet, PublicationFilterSet,
)
from apps.reviews.models import (
    AbnormalFlag, Appeal, BadReviewDisposal, ClientAccessLog, Evaluation, PublicationStatus, ReviewClient,
)
from apps.reviews.services import disposals as svc
from apps.reviews.services import quality

EVALUATION_COLUMNS = [
    ExportColumn("评价编号", "evaluation_number"), ExportColumn("评价对象", "get_object_kind_display"),
    ExportColumn("渠道", "get_channel_display"), ExportColumn("评价等级", "get_level_display"),
    ExportColumn("事项", "matter.name"), ExportColumn("服务部门", "organisation.name"),
    ExportColumn("区划", "region.name"), ExportColumn("评价内容", "comment"), ExportColumn("评价时间", "evaluated_at"),
]


class EvaluationListView(ScopedListView):
    """PORTAL-2.1, 2.5, REV-11.5.1: evaluations in the user's scope (no evaluator identity column)."""

    model = Evaluation
    filterset_class = EvaluationFilterSet
    permission_required = "reviews.view_evaluation"
    columns = EVALUATION_COLUMNS
    title = _("评价数据")

    def get_base_queryset(self):
        return Evaluation.objects.select_related("matter", "organisation", "region")


class InvalidEvaluationListView(EvaluationListView):
    title = _("无效评价列表")
    export_key = "reviews.invalid"

    def get_base_queryset(self):
        return super().get_base_queryset().filter(is_valid=False)


class DisposalListView(ScopedListView):
    """REV-11.4, PORTAL-2.4: bad-review disposal tasks; the Excel export is the 差评清单."""

    model = BadReviewDisposal
    filterset_class = DisposalFilterSet
    permission_required = "reviews.view_badreviewdisposal"
    template_name = "reviews/portal/disposal_list.html"
    title = _("差评处置")
    columns = [ExportColumn("评价编号", "evaluation.evaluation_number"), ExportColumn("状态", "get_status_display"),
               ExportColumn("评价等级", "evaluation.get_level_display"), ExportColumn("服务部门", "service_department.name"),
               ExportColumn("主管部门", "competent_department.name"), ExportColumn("整改期限", "deadline"),
               ExportColumn("责任人", "responsible_person"), ExportColumn("整改内容", "rectification_content"),
               ExportColumn("整改反馈", "feedback"), ExportColumn("分发时间", "created_at")]

    def get_base_queryset(self):
        return BadReviewDisposal.objects.select_related("evaluation", "service_department", "competent_department",
                                                        "responsible_person")


ACTIONS = {
    "accept": lambda d, u, p, f: svc.disposal_accept(disposal=d, actor=u),
    "not_accept": lambda d, u, p, f: svc.disposal_not_accept(disposal=d, actor=u, reason=p.get("reason", "")),
    "return": lambda d, u, p, f: svc.disposal_return(disposal=d, actor=u, reason=p.get("reason", "")),
    "verify": lambda d, u, p, f: svc.disposal_verify(
        disposal=d, actor=u, verified_true=p.get("verified_true") == "1", responsibility=p.get("responsibility", ""),
        notes=p.get("notes", ""), attachment=f.get("attachment")),
    "rectify": lambda d, u, p, f: svc.disposal_start_rectification(
        disposal=d, actor=u, content=p.get("content", ""),
        responsible_person=User.objects.filter(pk=p.get("responsible_person") or 0, is_active=True).first()),
    "extend": lambda d, u, p, f: svc.disposal_extend(disposal=d, actor=u, reason=p.get("reason", ""),
                                                     new_deadline=_date(p.get("new_deadline"))),
    "feedback": lambda d, u, p, f: svc.disposal_feedback(disposal=d, actor=u, feedback=p.get("feedback", "")),
    "review": lambda d, u, p, f: svc.disposal_review(disposal=d, actor=u, passed=p.get("passed") == "1",
                                                     comment=p.get("comment", "")),
    "return_visit": lambda d, u, p, f: svc.disposal_return_visit(disposal=d, actor=u, note=p.get("note", "")),
    "appeal": lambda d, u, p, f: svc.appeal_file(disposal=d, actor=u, reason=p.get("reason", "")),
}


def _date(value):
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        raise ValidationError(_("日期格式应为 YYYY-MM-DD。")) from None


class DisposalDetailView(StaffRequiredMixin, View):
    """One task: evaluation, timeline, and the forms of the steps allowed now."""

    def get_object(self):
        qs = restrict(BadReviewDisposal.objects.select_related("evaluation__matter", "evaluation__case",
                                                               "service_department", "competent_department"),
                      self.request.user)
        disposal = get_object_or_404(qs, pk=self.kwargs["pk"])
        if not (self.request.user.has_perm("reviews.view_badreviewdisposal")
                or disposal.responsible_person_id == self.request.user.pk):
            raise PermissionDenied(_("您没有查看差评处置的权限。"))
        return disposal

    def get(self, request, pk):
        disposal = self.get_object()
        staff = User.objects.filter(organisation=disposal.service_department, is_active=True)[:50]
        return render(request, "reviews/portal/disposal_detail.html", {
            "d": disposal, "transitions": timeline_for(disposal), "staff": staff,
            "appeals": disposal.appeals.select_related("appellant", "organisation")})

    def post(self, request, pk):
        disposal = self.get_object()
        action = ACTIONS.get(request.POST.get("action", ""))
        if action is None:
            raise Http404
        try:
            action(disposal, request.user, request.POST, request.FILES)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已保存。"))
        return redirect("reviews:disposal-detail", pk=pk)


class DisposalNoticeView(DisposalDetailView):
    """差评整改通知书 (PDF)."""

    def get(self, request, pk):
        from apps.reviews.notice import rectification_notice_pdf

        disposal = self.get_object()
        response = HttpResponse(rectification_notice_pdf(disposal), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="notice-{disposal.pk}.pdf"'
        return response


class AppealListView(ScopedListView):
    """REV-11.3.2: every appeal with status, reason, unit, appellant and time."""

    model = Appeal
    filterset_class = AppealFilterSet
    permission_required = "reviews.view_appeal"
    template_name = "reviews/portal/appeal_list.html"
    title = _("申诉管理")
    columns = [ExportColumn("评价编号", "disposal.evaluation.evaluation_number"),
               ExportColumn("状态", "get_status_display"), ExportColumn("申诉理由", "reason"),
               ExportColumn("申诉单位", "organisation.name"), ExportColumn("申诉人", "appellant"),
               ExportColumn("申诉时间", "filed_at"), ExportColumn("复核意见", "decision_reason")]

    def get_base_queryset(self):
        return Appeal.objects.select_related("disposal__evaluation", "organisation", "appellant")

    def post(self, request):
        appeal = get_object_or_404(restrict(Appeal.objects.all(), request.user), pk=request.POST.get("appeal"))
        try:
            svc.appeal_decide(appeal=appeal, actor=request.user, upheld=request.POST.get("upheld") == "1",
                              reason=request.POST.get("reason", ""))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已复核。"))
        return redirect("reviews:appeal-list")


class PublicationListView(ScopedListView):
    """REV-11.2.2, PORTAL-2.2, 2.3: comments waiting for the publication decision."""

    model = Evaluation
    filterset_class = PublicationFilterSet
    permission_required = "reviews.manage_evaluations"
    template_name = "reviews/portal/publication_list.html"
    title = _("审核公开")
    columns = EVALUATION_COLUMNS
    export_key = "reviews.publication"

    def get_base_queryset(self):
        return Evaluation.objects.filter(publication_status=PublicationStatus.PENDING).select_related(
            "matter", "organisation", "region")

    def post(self, request):
        evaluation = get_object_or_404(restrict(Evaluation.objects.all(), request.user), pk=request.POST.get("evaluation"))
        try:
            if request.POST.get("decision") == "showcase":
                quality.showcase_add(evaluation=evaluation, actor=request.user)
            else:
                quality.publication_decide(evaluation=evaluation, actor=request.user,
                                           publish=request.POST.get("decision") == "publish")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect("reviews:publication-list")


class AbnormalListView(ScopedListView):
    """REV-4.1, 4.2: abnormal evaluations, urging and feedback."""

    model = AbnormalFlag
    filterset_class = AbnormalFilterSet
    permission_required = "reviews.view_abnormalflag"
    template_name = "reviews/portal/abnormal_list.html"
    title = _("异常评价")
    columns = [ExportColumn("评价编号", "evaluation.evaluation_number"), ExportColumn("原因", "reason"),
               ExportColumn("状态", "get_status_display"), ExportColumn("审核期限", "review_due"),
               ExportColumn("督办要求", "urge_note"), ExportColumn("反馈", "feedback")]

    def get_base_queryset(self):
        return AbnormalFlag.objects.select_related("evaluation")

    def post(self, request):
        flag = get_object_or_404(restrict(AbnormalFlag.objects.all(), request.user), pk=request.POST.get("flag"))
        action = request.POST.get("action")
        try:
            if action == "urge":
                quality.abnormal_urge(flag=flag, actor=request.user, note=request.POST.get("note", ""))
            elif action == "feedback":
                quality.abnormal_feedback(flag=flag, actor=request.user, feedback=request.POST.get("feedback", ""))
            else:
                quality.abnormal_review(flag=flag, actor=request.user, confirmed=action == "confirm")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect("reviews:abnormal-list")


class StatisticsView(StaffPermissionMixin, View):
    """REV-5.1–5.5, 6.1–6.5, 11.5: by region (省直 + 13 cities, drill-down) and by hall, window,
    staff, matter, department — from the pre-aggregated table, cut to the user's scope."""

    permission_required = "reviews.view_statistics"

    def get(self, request):
        user = request.user
        home = selectors.user_region_code(user)
        region = request.GET.get("region") or home
        from apps.core.models.regions import prefix_of_code

        if not region.isdigit() or len(region) != 12 or not region.startswith(prefix_of_code(home)):
            region = home
        dimension = request.GET.get("dimension", "region")
        orgs = selectors.scope_organisation_ids(user)
        if dimension == "region":
            rows = selectors.by_region(region_code=region, organisation_ids=orgs)
        elif dimension in selectors.DIMENSIONS:
            rows = selectors.by_dimension(dimension=dimension, region_code=region, organisation_ids=orgs, limit=200)
        else:
            raise Http404
        context = {"rows": rows, "dimension": dimension, "region": region, **_overview(region, orgs),
                   "dimensions": [("region", _("区划")), ("organisation", _("部门")), ("hall", _("大厅")),
                                  ("window", _("窗口")), ("staff", _("人员")), ("matter", _("事项"))],
                   "integrators": selectors.integrator_ranking(user=user)}
        if request.GET.get("export") == "xlsx":
            from apps.core.exports import build_workbook, xlsx_response

            columns = [ExportColumn("名称", "name"), ExportColumn("评价数", "total"), ExportColumn("好评数", "good"),
                       ExportColumn("差评数", "bad"), ExportColumn("得分", "score"), ExportColumn("好评率%", "good_rate"),
                       ExportColumn("整改率%", "rectification_rate")]
            return xlsx_response(build_workbook(iter([_Row(r) for r in rows]), columns, title="好差评统计"), "好差评统计")
        return render(request, "reviews/portal/statistics.html", context)


def _overview(region_code: str, organisation_ids) -> dict:
    """Region-wide viewers read the region's stored overview (and see when it was computed); a
    department's viewers get their subtree's figures computed now (few rows)."""
    if organisation_ids is None:
        from apps.core.models import Region
        from apps.reviews.services.overview import overview_snapshot

        region = Region.objects.filter(code=region_code).first()
        if region is not None:
            snapshot = overview_snapshot(region)
            return {"overview": snapshot.data["data"], "computed_at": snapshot.computed_at}
    return {"overview": selectors.overview(region_code=region_code, organisation_ids=organisation_ids)}


class _Row:
    def __init__(self, data):
        self.__dict__.update(data)


class WorkspaceView(StaffRequiredMixin, View):
    """REV-8.1–8.3: the integrator's evaluations and feedback; counts per integrator."""

    def get(self, request):
        clients = ReviewClient.objects.filter(Q(users=request.user) | Q(pk__in=restrict(
            ReviewClient.objects.all(), request.user).values("pk")) if request.user.has_perm(
            "reviews.view_reviewclient") else Q(users=request.user)).distinct()
        rows = Evaluation.objects.filter(client__in=clients).select_related("matter", "client")[:100]
        ranking, total = selectors.integrator_ranking(user=request.user)
        return render(request, "reviews/portal/workspace.html", {"clients": clients, "rows": rows,
                                                                 "ranking": ranking, "total": total})

    def post(self, request):
        evaluation = get_object_or_404(Evaluation, pk=request.POST.get("evaluation"),
                                       client__users=request.user)
        text = request.POST.get("feedback", "").strip()
        if text:
            evaluation.feedback = text[:1000]
            evaluation.save(update_fields=["feedback"])
        return redirect("reviews:workspace")


class AccessMonitorView(StaffPermissionMixin, View):
    """REV-7.1: calls per application and interface, accepted and refused."""

    permission_required = "reviews.view_reviewclient"

    def get(self, request):
        clients = restrict(ReviewClient.objects.all(), request.user)
        rows = selectors.access_counts(clients=clients)
        recent = ClientAccessLog.objects.filter(client__in=clients).select_related("client")[:50]
        return render(request, "reviews/portal/access_monitor.html", {"rows": rows, "recent": recent})
