from django.urls import path

from apps.supervision.views import public

app_name = "supervision-public"
urlpatterns = [
    path("", public.PublicComplaintCreateView.as_view(), name="file"),
    path("investment/", public.InvestmentComplaintCreateView.as_view(), name="investment"),
    path("mine/", public.MyComplaintsView.as_view(), name="mine"),
    path("lookup/", public.PublicLookupView.as_view(), name="lookup"),
]
