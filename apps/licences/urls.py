"""Portal URLs of licences (/portal/licences/)."""
from django.urls import path

from .views import library, management, portal, seal_apply, sharing, signing

app_name = "licences"
urlpatterns = [
    path("seals/", portal.SealListView.as_view(), name="seal-list"),
    path("seals/apply/", seal_apply.SealApplyView.as_view(), name="seal-apply"),
    path("seals/<int:pk>/", portal.SealDetailView.as_view(), name="seal-detail"),
    path("filings/", management.FilingListView.as_view(), name="filing-list"),
    path("filings/new/", management.FilingFormView.as_view(), name="filing-create"),
    path("filings/<int:pk>/", management.FilingDetailView.as_view(), name="filing-detail"),
    path("filings/<int:pk>/edit/", management.FilingFormView.as_view(), name="filing-edit"),
    path("categories/", management.CategoryView.as_view(), name="category-list"),
    path("templates/", management.TemplateListView.as_view(), name="template-list"),
    path("templates/new/", management.TemplateFormView.as_view(), name="template-create"),
    path("templates/<int:pk>/", management.TemplateDetailView.as_view(), name="template-detail"),
    path("templates/<int:pk>/edit/", management.TemplateFormView.as_view(), name="template-edit"),
    path("archive/", library.ArchiveListView.as_view(), name="archive"),
    path("download/", library.ValidDownloadView.as_view(), name="valid-download"),
    path("expiring/", library.ExpiringListView.as_view(), name="expiring"),
    path("statistics/", library.StatisticsView.as_view(), name="statistics"),
    path("import/", library.ImportView.as_view(), name="import"),
    path("import/<int:pk>/", library.ImportDetailView.as_view(), name="import-detail"),
    path("purge/", library.PurgeListView.as_view(), name="purge"),
    path("signing/grants/", signing.SealGrantView.as_view(), name="seal-grants"),
    path("signing/rules/", signing.SigningRuleListView.as_view(), name="signing-rules"),
    path("signing/logs/", signing.SigningLogListView.as_view(), name="signing-logs"),
    path("sharing/interfaces/", sharing.SharingInterfaceListView.as_view(), name="sharing-interfaces"),
    path("sharing/applications/", sharing.SharingApplicationListView.as_view(), name="sharing-applications"),
    path("sharing/rights/", sharing.AccessRightListView.as_view(), name="sharing-rights"),
    path("sharing/routes/", sharing.InterfaceRouteListView.as_view(), name="sharing-routes"),
    path("sharing/routes/<int:pk>/aggregate/", sharing.AggregateRunView.as_view(), name="sharing-aggregate"),
    path("sharing/logs/", sharing.SharingLogListView.as_view(), name="sharing-logs"),
    path("sharing/catalogue/", sharing.AggregatedCatalogueListView.as_view(), name="aggregated-catalogue"),
    path("sharing/statistics/", sharing.SharedStatisticsView.as_view(), name="shared-statistics"),
    path("catalogue-requests/", sharing.CatalogueRequestView.as_view(), name="catalogue-requests"),
    path("", portal.LicenceListView.as_view(), name="licence-list"),
    path("<int:pk>/", portal.LicenceDetailView.as_view(), name="licence-detail"),
]
