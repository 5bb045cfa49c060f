from django.urls import path

from apps.supervision.views import (
    efficiency,
    efficiency_admin,
    leaders,
    monitoring,
    portal,
)

app_name = "supervision"
urlpatterns = [
    path("complaints/", portal.ComplaintListView.as_view(), name="complaint-list"),
    path("national/", portal.NationalListView.as_view(), name="national-list"),
    path("govcn/", portal.GovcnListView.as_view(), name="govcn-list"),
    path("provincial/", portal.ProvincialListView.as_view(), name="provincial-list"),
    path("investment/", portal.InvestmentListView.as_view(), name="investment-list"),
    path("complaints/<int:pk>/", portal.ComplaintDetailView.as_view(), name="complaint-detail"),
    path("complaints/<int:pk>/step/<slug:action>/", portal.ComplaintStepView.as_view(), name="complaint-step"),
    path("complaints/<int:pk>/extension/", portal.ComplaintRequestView.as_view(kind="extension"),
         name="complaint-extension"),
    path("complaints/<int:pk>/withdrawal/", portal.ComplaintRequestView.as_view(kind="withdrawal"),
         name="complaint-withdrawal"),
    path("done/", portal.DoneLookupView.as_view(), name="done-lookup"),
    path("efficiency/", efficiency.EfficiencyView.as_view(), name="efficiency"),
    path("efficiency/tasks/<int:pk>/score/", efficiency.TaskScoreView.as_view(), name="task-score"),
    path("investment/evaluations/", efficiency.EvaluationReportView.as_view(), name="evaluation-report"),
    path("dashboard/", monitoring.DashboardView.as_view(), name="dashboard"),
    path("warnings/", monitoring.WarningListView.as_view(), name="warning-list"),
    path("efficiency/indicators/", efficiency_admin.IndicatorListView.as_view(), name="indicator-list"),
    path("efficiency/indicators/new/", efficiency_admin.IndicatorCreateView.as_view(), name="indicator-create"),
    path("efficiency/indicators/<int:pk>/source/", efficiency_admin.IndicatorSourceView.as_view(),
         name="indicator-source"),
    path("efficiency/tasks/new/", efficiency_admin.TaskCreateView.as_view(), name="task-create"),
    path("efficiency/tasks/<int:pk>/manual-score/", efficiency_admin.TaskManualScoreView.as_view(),
         name="task-manual-score"),
    path("leaders/", leaders.LeaderColumnView.as_view(), name="leader-column"),
    path("leaders/report/", leaders.LeaderReportView.as_view(), name="leader-report"),
    path("exchange/", portal.ExchangeMessageListView.as_view(), name="exchange-list"),
]
