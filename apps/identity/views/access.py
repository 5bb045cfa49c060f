"""Portal pages: access."""
urlpatterns = []
