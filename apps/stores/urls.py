from django.urls import path

from apps.stores.views import portal

app_name = "stores"
urlpatterns = [
    path("", portal.StoreListView.as_view(), name="store-list"),
    path("open/", portal.StoreOpenView.as_view(), name="store-open"),
    path("<int:pk>/", portal.StoreDetailView.as_view(), name="store-detail"),
    path("<int:pk>/publish/", portal.StorePublishView.as_view(), name="store-publish"),
    path("<int:pk>/content/", portal.StoreContentView.as_view(), name="store-content"),
    path("<int:pk>/own-interface/", portal.StoreOwnInterfaceView.as_view(), name="store-own-interface"),
    path("<int:pk>/services/add/", portal.StoreServiceEditView.as_view(), name="service-add"),
    path("<int:pk>/services/<int:service_pk>/", portal.StoreServiceEditView.as_view(), name="service-edit"),
    path("<int:pk>/columns/add/", portal.ColumnAddView.as_view(), name="column-add"),
    path("columns/<int:pk>/", portal.ColumnView.as_view(), name="column"),
    path("columns/<int:pk>/articles/add/", portal.ArticleEditView.as_view(), name="article-add"),
    path("articles/<int:article_pk>/", portal.ArticleEditView.as_view(), name="article-edit"),
    path("articles/<int:article_pk>/<str:action>/", portal.ArticleActionView.as_view(), name="article-action"),
    path("review/", portal.ReviewListView.as_view(), name="review-list"),
    path("keywords/", portal.KeywordListView.as_view(), name="keyword-list"),
    path("keywords/add/", portal.KeywordEditView.as_view(), name="keyword-add"),
    path("keywords/<int:pk>/", portal.KeywordEditView.as_view(), name="keyword-edit"),
    path("keywords/<int:pk>/delete/", portal.KeywordDeleteView.as_view(), name="keyword-delete"),
    path("recommendations/", portal.RecommendationListView.as_view(), name="recommendation-list"),
    path("recommendations/add/", portal.RecommendationAddView.as_view(), name="recommendation-add"),
    path("recommendations/<int:pk>/delete/", portal.RecommendationDeleteView.as_view(), name="recommendation-delete"),
    path("zones/", portal.ZoneMatterListView.as_view(), name="zone-list"),
    path("zones/add/", portal.ZoneMatterEditView.as_view(), name="zone-add"),
    path("zones/import/", portal.ZoneMatterImportView.as_view(), name="zone-import"),
    path("zones/<int:pk>/", portal.ZoneMatterEditView.as_view(), name="zone-edit"),
    path("proofs/", portal.ProofListView.as_view(), name="proof-list"),
    path("proofs/add/", portal.ProofAddView.as_view(), name="proof-add"),
]
