"""Identity portal pages, mounted under /portal/identity/."""
from apps.identity.views import (
               access,
               authorisation,
               city_data_import,
               clients,
               controls,
               password_reset,
               review,
               stats,
               users,
)

app_name = "identity"
urlpatterns = [*users.urlpatterns, *authorisation.urlpatterns, *access.urlpatterns, *clients.urlpatterns,
               *stats.urlpatterns, *controls.urlpatterns,
               *review.urlpatterns, *password_reset.urlpatterns, *city_data_import.urlpatterns]
