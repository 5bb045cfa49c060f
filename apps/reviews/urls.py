from django.urls import path

from apps.reviews.views import portal

app_name = "reviews"
urlpatterns = [
    path("evaluations/", portal.EvaluationListView.as_view(), name="evaluation-list"),
    path("evaluations/invalid/", portal.InvalidEvaluationListView.as_view(), name="invalid-list"),
    path("disposals/", portal.DisposalListView.as_view(), name="disposal-list"),
    path("disposals/<int:pk>/", portal.DisposalDetailView.as_view(), name="disposal-detail"),
    path("disposals/<int:pk>/notice.pdf", portal.DisposalNoticeView.as_view(), name="disposal-notice"),
    path("appeals/", portal.AppealListView.as_view(), name="appeal-list"),
    path("publication/", portal.PublicationListView.as_view(), name="publication-list"),
    path("abnormal/", portal.AbnormalListView.as_view(), name="abnormal-list"),
    path("statistics/", portal.StatisticsView.as_view(), name="statistics"),
    path("workspace/", portal.WorkspaceView.as_view(), name="workspace"),
    path("access/", portal.AccessMonitorView.as_view(), name="access-monitor"),
]
