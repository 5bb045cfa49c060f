from django.urls import path

from apps.stores.views import enterprise, public, queries

app_name = "stores-public"
urlpatterns = [
    path("", public.index, name="index"),
    path("queries/", queries.zone, name="query-zone"),
    path("queries/<slug:code>/", queries.ServiceView.as_view(), name="query-service"),
    path("elderly/", public.elderly_zone, name="elderly"),
    path("elderly/<int:pk>/proxy/", public.elderly_proxy, name="elderly-proxy"),
    path("search/", public.search, name="search"),
    path("zones/<str:zone>/", public.zone_page, name="zone"),
    path("proofs/", public.proofs, name="proofs"),
    path("power-list/<int:item_pk>/", public.power_list, name="power-list"),
    path("partners/<slug:code>/go/", public.partner_go, name="partner-go"),
    path("enterprise/", enterprise.space, name="enterprise"),
    path("enterprise/action/", enterprise.action, name="enterprise-action"),
    path("enterprise/code/verify/", enterprise.code_verify, name="enterprise-code-verify"),
    path("store/<slug:slug>/", public.store_page, name="store"),
    path("store/<slug:slug>/services/<int:pk>/", public.service_page, name="service"),
    path("store/<slug:slug>/services/<int:pk>/handle/", public.handle, name="handle"),
    path("store/<slug:slug>/services/<int:pk>/authenticate/", public.authenticate, name="authenticate"),
    path("store/<slug:slug>/articles/<int:pk>/", public.article_page, name="article"),
    path("store/<slug:slug>/licences/", public.licences, name="licences"),
]
