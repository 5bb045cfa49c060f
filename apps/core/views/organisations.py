"""Portal pages: organisations."""
urlpatterns = []
