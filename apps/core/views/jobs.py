"""Portal pages: jobs."""
urlpatterns = []
