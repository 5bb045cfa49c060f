"""Portal pages: sms."""
urlpatterns = []
