"""Portal views: the shell (login, logout, inbox) and the monthly case report pages."""
from apps.portal.views.shell import HomeView, PortalLoginView, PortalLogoutView  # noqa: F401
