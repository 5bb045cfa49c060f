"""Identity portal pages, mounted under /portal/identity/."""
from apps.identity.views import (
               access,
               authorisation,
               clients,
               controls,
               division_import,
               password_reset,
               review,
               stats,
               users,
)

app_name = "identity"
urlpatterns = [*users.urlpatterns, *authorisation.urlpatterns, *access.urlpatterns, *clients.urlpatterns,
               *stats.urlpatterns, *controls.urlpatterns,
               *review.urlpatterns, *password_reset.urlpatterns, *division_import.urlpatterns]
