"""Identity portal pages, mounted under /portal/identity/."""
from apps.identity.views import access, users

app_name = "identity"
urlpatterns = [*users.urlpatterns, *access.urlpatterns]
