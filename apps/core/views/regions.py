"""Portal pages: regions."""
urlpatterns = []
