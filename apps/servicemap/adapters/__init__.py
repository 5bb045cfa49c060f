"""Peers of the service map: halls' own booking / consultation systems (hall_systems.py)."""
from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string


def hall_system_client():
    """The client for halls' own systems (settings.SERVICEMAP_HALL_SYSTEM_CLIENT, HTTP by default)."""
    path = getattr(settings, "SERVICEMAP_HALL_SYSTEM_CLIENT",
                   "apps.servicemap.adapters.hall_systems.HttpHallSystemClient")
    return import_string(path)()
