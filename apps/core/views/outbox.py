"""Portal pages: outbox."""
urlpatterns = []
