"""Public matter guide URLs (/matters/)."""
from django.urls import path

from apps.matters.views import knowledge, public

app_name = "matters-public"
urlpatterns = [
    path("", public.guide_list, name="guide-list"),
    path("<int:pk>/", public.guide_detail, name="guide-detail"),
    path("<int:pk>/guidance/", knowledge.guide_guidance, name="guide-guidance"),
    path("scopes/", knowledge.scope_guides, name="scope-guides"),
]
