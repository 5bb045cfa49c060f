from django.urls import path

from apps.stores.api import queries, views

urlpatterns = [
    path("queries/", queries.QueryServiceListApi.as_view(), name="stores-query-services"),
    path("queries/<slug:code>/", queries.QueryRunApi.as_view(), name="stores-query-run"),
    path("search/", views.SmartSearchApi.as_view(), name="stores-search"),
    path("zones/<str:zone>/", views.ZoneMatterListApi.as_view(), name="stores-zone-matters"),
    path("recommendations/", views.RecommendedMatterListApi.as_view(), name="stores-recommendations"),
    path("matter-lookup/", views.MatterLookupApi.as_view(), name="stores-matter-lookup"),
    path("stores/", views.FlagshipStoreListApi.as_view(), name="stores-store-list"),
    path("stores/<slug:slug>/", views.FlagshipStoreDetailApi.as_view(), name="stores-store-detail"),
    path("proofs/", views.ProofListApi.as_view(), name="stores-proofs"),
    path("keywords/", views.KeywordAssociationListApi.as_view(), name="stores-keywords"),
    path("keywords/<int:pk>/", views.KeywordAssociationDeleteApi.as_view(), name="stores-keyword-delete"),
    path("enterprise/messages/", views.EnterpriseMessageListApi.as_view(), name="stores-enterprise-messages"),
    path("enterprise/messages/<int:pk>/read/", views.EnterpriseMessageReadApi.as_view(),
         name="stores-enterprise-message-read"),
]
