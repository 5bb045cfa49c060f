"""Service map (政务服务地图) models. Halls, windows, staff and window matters are NOT here: they are the
shared master data in apps.acceptance.models.halls (decision 0901). This app adds what only the map
needs: hall integration settings, themes and points of interest, the IP location table, and the
booking / consultation requests made from a window page with their verification codes."""
from apps.servicemap.models.connections import HallConnection
from apps.servicemap.models.iplocation import IpRange
from apps.servicemap.models.requests import (
    PushStatus, RequestTarget, VerificationCode, WindowBooking, WindowConsultation,
)
from apps.servicemap.models.themes import PointOfInterest, Theme
from apps.servicemap.models.video import DeviceType, VideoChannel

__all__ = ["DeviceType", "VideoChannel", "HallConnection", "IpRange", "PointOfInterest", "PushStatus", "RequestTarget", "Theme",
           "VerificationCode", "WindowBooking", "WindowConsultation"]
