"""Portal pages: audit."""
urlpatterns = []
