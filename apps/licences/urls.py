"""Portal URLs of licences (/portal/licences/)."""
from django.urls import path

from .views import portal

app_name = "licences"
urlpatterns = [
    path("seals/", portal.SealListView.as_view(), name="seal-list"),
    path("seals/<int:pk>/", portal.SealDetailView.as_view(), name="seal-detail"),
    path("", portal.LicenceListView.as_view(), name="licence-list"),
    path("<int:pk>/", portal.LicenceDetailView.as_view(), name="licence-detail"),
]
