"""Public matter guide URLs (/matters/)."""
from django.urls import path

from apps.matters.views import knowledge, policies, proxy, public

app_name = "matters-public"
urlpatterns = [
    path("", public.guide_list, name="guide-list"),
    path("<int:pk>/", public.guide_detail, name="guide-detail"),
    path("<int:pk>/guidance/", knowledge.guide_guidance, name="guide-guidance"),
    path("scopes/", knowledge.scope_guides, name="scope-guides"),
    path("proxy/", proxy.ProxyCentreView.as_view(), name="proxy"),
    path("things/", public.one_thing_list, name="one-things"),
    path("things/<int:pk>/", public.one_thing_detail, name="one-thing"),
    path("policies/", policies.public_policy_centre, name="policy-centre"),
    path("policies/<int:pk>/", policies.public_policy_detail, name="policy-detail"),
    path("policies/subscribe/", policies.public_policy_subscribe, name="policy-subscribe"),
]
