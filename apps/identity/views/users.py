"""Portal pages: users."""
urlpatterns = []
