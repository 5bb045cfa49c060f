from django.urls import path

from apps.reviews.views import analysis, guides, portal, rankings, system

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
    path("rankings/", rankings.RankingBoardView.as_view(), name="rankings"),
    path("analysis/", analysis.CockpitView.as_view(), name="cockpit"),
    path("analysis/channels/", analysis.ChannelAnalysisView.as_view(), name="analysis-channels"),
    path("analysis/items/", analysis.ItemAnalysisView.as_view(), name="analysis-items"),
    path("analysis/items/<int:pk>/", analysis.ItemDetailView.as_view(), name="analysis-item"),
    path("analysis/compare/", analysis.CompareView.as_view(), name="analysis-compare"),
    path("analysis/indicator/", analysis.IndicatorQueryView.as_view(), name="analysis-indicator"),
    path("analysis/problems/", analysis.CommonProblemsView.as_view(), name="analysis-problems"),
    path("analysis/monitor/", analysis.MonitorView.as_view(), name="analysis-monitor"),
    path("analysis/impressions/", analysis.ImpressionAnalysisView.as_view(), name="analysis-impressions"),
    path("system/", system.SystemHomeView.as_view(), name="system"),
    path("system/organisations/", system.OrganisationView.as_view(), name="system-organisations"),
    path("system/users/", system.UserView.as_view(), name="system-users"),
    path("system/roles/", system.RoleView.as_view(), name="system-roles"),
    path("system/columns/", system.ColumnView.as_view(), name="system-columns"),
    path("system/dictionaries/", system.DictionaryView.as_view(), name="system-dictionaries"),
    path("system/announcements/", system.AnnouncementView.as_view(), name="system-announcements"),
    path("system/logs/", system.LogView.as_view(), name="system-logs"),
    path("qr/<slug:kind>/<int:pk>.png", guides.QrImageView.as_view(), name="qr-image"),
    path("watchlist/", system.WatchListView.as_view(), name="watchlist"),
]
