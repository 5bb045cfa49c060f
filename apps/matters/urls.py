"""Portal URLs of matters (/portal/matters/)."""
from django.urls import path

from apps.matters.views import demands, external, analysis, catalogue, changes, upgrade, knowledge, resources, dynamics, importing, items, lists, optimisation, policies, provincial_stats, proxy, quality, reports, summary, sync

app_name = "matters"


def _per_kind(kind: str) -> list:
    return [
        path(f"{kind}/<int:pk>/", items.MatterDetailView.as_view(kind=kind), name=f"{kind}-detail"),
        path(f"{kind}/<int:pk>/change/", changes.MatterChangeView.as_view(kind=kind), name=f"{kind}-change"),
        path(f"{kind}/<int:pk>/compare/", items.VersionCompareView.as_view(kind=kind), name=f"{kind}-compare"),
        path(f"{kind}/<int:pk>/submit/", items.MatterSubmitView.as_view(kind=kind), name=f"{kind}-submit"),
        path(f"{kind}/<int:pk>/review/", items.MatterReviewView.as_view(kind=kind), name=f"{kind}-review"),
        path(f"{kind}/<int:pk>/correct-code/", items.MatterCodeCorrectView.as_view(kind=kind),
             name=f"{kind}-correct-code"),
        path(f"{kind}/<int:pk>/suspend/", dynamics.MatterSuspendView.as_view(kind=kind), name=f"{kind}-suspend"),
        path(f"{kind}/<int:pk>/correction/", optimisation.CorrectionRegisterView.as_view(kind=kind),
             name=f"{kind}-correction"),
        path(f"{kind}/<int:pk>/delegate/", dynamics.DelegateView.as_view(kind=kind), name=f"{kind}-delegate"),
    ]


urlpatterns = [
    path("catalogue/", lists.CatalogueItemListView.as_view(), name="catalogue-list"),
    path("catalogue/tree/", catalogue.CatalogueTreeView.as_view(), name="catalogue-tree"),
    path("catalogue/import/", importing.CatalogueImportView.as_view(), name="catalogue-import"),
    path("catalogue/declare/", items.CatalogueDeclareView.as_view(), name="catalogue-declare"),
    path("catalogue/<int:pk>/claim/", items.CatalogueClaimView.as_view(kind="catalogue"), name="catalogue-claim"),
    path("implementation/", lists.ImplementationItemListView.as_view(), name="implementation-list"),
    path("changes/", lists.ChangeRequestListView.as_view(), name="change-list"),
    path("changes/<int:pk>/", changes.ChangeRequestDetailView.as_view(), name="change-detail"),
    path("catalogue/<int:pk>/cancel/", dynamics.CatalogueCancelView.as_view(kind="catalogue"),
         name="catalogue-cancel"),
    path("suspensions/<int:pk>/review/", dynamics.SuspensionReviewView.as_view(), name="suspension-review"),
    path("delegations/", dynamics.DelegationTrackingView.as_view(), name="delegation-tracking"),
    path("batches/aggregate/", dynamics.BatchAggregateView.as_view(), name="batch-aggregate"),
    path("batches/<int:pk>/", dynamics.BatchDetailView.as_view(), name="batch-detail"),
    path("notifications/", dynamics.NotificationListView.as_view(), name="notifications"),
    path("corrections/<int:pk>/", optimisation.CorrectionActionView.as_view(), name="correction-action"),
    path("tags/", optimisation.TagListView.as_view(), name="tag-list"),
    path("tags/<int:pk>/", optimisation.TagLeaderView.as_view(), name="tag-leader"),
    path("tagged/<int:pk>/", optimisation.TagMarkView.as_view(), name="tag-mark"),
    path("quality/", quality.QualityReportView.as_view(), name="quality-report"),
    path("statistics/", reports.StatisticsView.as_view(), name="statistics"),
    path("statistics/summary/", summary.ItemSummaryView.as_view(), name="summary"),
    path("statistics/provincial-units/", provincial_stats.ProvincialItemStatisticsView.as_view(),
         name="provincial-statistics"),
    path("<str:kind>/generate/", reports.ListGenerateView.as_view(), name="list-generate"),
    path("monitoring/", analysis.MonitoringView.as_view(), name="monitoring"),
    path("optimisation/", analysis.OptimisationView.as_view(), name="optimisation"),
    path("optimisation/<int:pk>/", analysis.ProposalActionView.as_view(), name="proposal-action"),
    path("resources/", resources.ResourceSummaryView.as_view(), name="resources"),
    path("implementation/<int:pk>/resources/", resources.ItemResourcesView.as_view(), name="item-resources"),
    path("knowledge/", knowledge.KnowledgeView.as_view(), name="knowledge"),
    path("policies/", policies.PolicyManageView.as_view(), name="policies"),
    path("laws/", policies.LawMaintainView.as_view(), name="laws"),
    path("address-errors/", upgrade.AddressErrorListView.as_view(), name="address-errors"),
    path("implementation/<int:pk>/intermediary/", upgrade.IntermediaryServiceView.as_view(),
         name="intermediary-add"),
    path("staged/<int:pk>/", upgrade.StagedReviewView.as_view(), name="staged-review"),
    path("staged/", upgrade.StagedReviewListView.as_view(), name="staged-review-done"),
    path("reconciliation/", sync.ReconciliationView.as_view(), name="reconciliation"),
    path("implementation/<int:pk>/proxy/", proxy.ProxyHandlingSetView.as_view(), name="proxy-handling-set"),
    path("demands/", demands.DataDemandView.as_view(), name="demands"),
    path("org-sync/", external.OrganisationSyncView.as_view(), name="org-sync"),
    path("powers/", external.PowerListView.as_view(), name="power-list"),
    path("powers/<int:pk>/", external.PowerEntryView.as_view(), name="power-entry"),
    *_per_kind("catalogue"),
    *_per_kind("implementation"),
]
