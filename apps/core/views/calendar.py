"""Portal pages: calendar."""
urlpatterns = []
