"""Service-map API for the 全省事 App and the web map's own JavaScript (MAP-4.1, 4.2): the same
selectors and services as the pages, so both surfaces show the same data at the same moment."""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.acceptance.models import HallStaff
from apps.core.middleware import client_address
from apps.servicemap import search as map_search
from apps.servicemap import selectors, services
from apps.servicemap.api import serializers as s
from apps.servicemap.clustering import clean_zoom


def _brief(region):
    return {"code": region.code, "name": region.name, "level": region.level} if region else None


class MarkersApi(APIView):
    """MAP-2.1 / 2.5: clustered markers at a zoom level, for a theme and region."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[OpenApiParameter("zoom", int), OpenApiParameter("theme", str),
                               OpenApiParameter("region", str)], responses=s.MarkersSerializer)
    def get(self, request):
        zoom = clean_zoom(request.query_params.get("zoom"))
        code = request.query_params.get("region")
        region = selectors.region_or_404(code) if code else None
        markers = selectors.theme_markers(theme=selectors.theme_by_code(request.query_params.get("theme")),
                                          region=region, zoom=zoom)
        return Response(s.MarkersSerializer({"zoom": zoom, "markers": markers}).data)


class RegionNavigationApi(APIView):
    """MAP-1.3 / 2.4: a region's path, children and the halls of exactly that level."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(operation_id="servicemap_region_retrieve", responses=s.RegionNavigationSerializer)
    def get(self, request, code: str):
        data = selectors.region_navigation(selectors.region_or_404(code))
        data = {**data, "region": _brief(data["region"]), "path": [_brief(r) for r in data["path"]],
                "children": [_brief(r) for r in data["children"]]}
        return Response(s.RegionNavigationSerializer(data).data)


class LocateApi(APIView):
    """MAP-2.3: the user's city from the real client IP: `ip` passed by a channel (App, terminal), else
    the address the request came from (X-Forwarded-For honoured only from trusted proxies)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[OpenApiParameter("ip", str, description="渠道传入的用户真实IP")],
                   responses=s.LocateSerializer)
    def get(self, request):
        address = (request.query_params.get("ip") or "").strip() or client_address(request)
        region = selectors.located_region(address)
        return Response(s.LocateSerializer({"ip": address, "region": _brief(region),
                                            "centre": selectors.region_centre(region) if region else None}).data)


class SuggestApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[OpenApiParameter("q", str)], responses=s.SuggestionSerializer(many=True))
    def get(self, request):
        return Response(s.SuggestionSerializer(map_search.suggest(request.query_params.get("q", "")), many=True).data)


class SearchApi(APIView):
    """MAP-1.2: hall name, address, theme tag, matter, or a question such as “哈尔滨哪里可以办身份证”."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(operation_id="servicemap_search", parameters=[OpenApiParameter("q", str)],
                   responses=s.SearchSerializer)
    def get(self, request):
        result = map_search.search(request.query_params.get("q", ""))
        parsed = result["query"]
        return Response(s.SearchSerializer({"query": parsed.text, "regions": [_brief(r) for r in parsed.regions],
                                            "terms": parsed.terms, "halls": result["halls"],
                                            "matters": result["matters"]}).data)


class NearestApi(APIView):
    """智能就近服务: the halls nearest to a point."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[OpenApiParameter("lng", float), OpenApiParameter("lat", float)],
                   responses=s.NearbyHallSerializer(many=True))
    def get(self, request):
        point = map_search.parse_point(request.query_params.get("lng"), request.query_params.get("lat"))
        if point is None:
            return Response({"message": "请提供有效的经纬度。", "errors": {"lng": ["请提供有效的经纬度。"]}}, status=400)
        rows = []
        for hall, distance in map_search.nearest(*point):
            hall.distance_km = distance
            rows.append(hall)
        return Response(s.NearbyHallSerializer(rows, many=True).data)


class HallDetailApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=s.HallDetailSerializer)
    def get(self, request, pk: int):
        return Response(s.HallDetailSerializer(selectors.hall_page(pk)).data)


class WindowDetailApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=s.WindowDetailSerializer)
    def get(self, request, pk: int):
        return Response(s.WindowDetailSerializer(selectors.window_page(pk)).data)


class CodeSendApi(APIView):
    """MAP-6.6: an SMS verification code for booking, consultation or evaluation."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.CodeSendInputSerializer, responses={202: None})
    def post(self, request):
        data = s.CodeSendInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.code_send(mobile_number=data.validated_data["mobile_number"],
                           purpose=data.validated_data["purpose"], recipient=request.user)
        return Response({"message": "验证码已发送。"}, status=202)


class WindowBookingApi(APIView):
    """MAP-1.7.1 / 6.4: book a matter at a window (signed-in applicant)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.BookingInputSerializer, responses={201: s.BookingOutputSerializer})
    def post(self, request, pk: int):
        window = selectors.window_or_404(pk)
        form = s.BookingInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        v = form.validated_data
        slot = selectors.slot_or_none(v.get("slot"))
        booking = services.booking_submit(actor=request.user, data=services.BookingInput(
            window=window, matter=selectors.matter_or_none(v["matter"]), booker_name=v["booker_name"],
            mobile_number=v["mobile_number"], id_number=v.get("id_number", ""), code=v["code"], slot=slot,
            date=v.get("date"), period_start=v.get("period_start"), period_end=v.get("period_end"), channel="app"))
        return Response(s.BookingOutputSerializer(booking).data, status=201)


class WindowConsultationApi(APIView):
    """MAP-1.7.2 / 6.5: ask about a matter at a window (signed-in applicant)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.ConsultationInputSerializer, responses={201: s.ConsultationOutputSerializer})
    def post(self, request, pk: int):
        window = selectors.window_or_404(pk)
        form = s.ConsultationInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        v = form.validated_data
        row = services.consultation_submit(actor=request.user, window=window, matter=selectors.matter_or_none(v["matter"]),
                                           title=v["title"], question=v["question"],
                                           consultant_name=v.get("consultant_name", ""),
                                           mobile_number=v["mobile_number"], code=v["code"])
        return Response(s.ConsultationOutputSerializer(row).data, status=201)


class WindowEvaluationApi(APIView):
    """MAP-1.7.3 / 6.3: evaluate a window or one of its staff in 好差评 (SSO + application number)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.EvaluationInputSerializer, responses={201: s.EvaluationOutputSerializer})
    def post(self, request, pk: int):
        window = selectors.window_or_404(pk)
        form = s.EvaluationInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        v = form.validated_data
        staff = get_object_or_404(HallStaff, pk=v["staff"], hall=window.hall) if v.get("staff") else None
        evaluation = services.evaluation_submit(actor=request.user, window=window,
                                                application_number=v["application_number"], level=v["level"],
                                                tags=v.get("tags"), comment=v.get("comment", ""), staff=staff,
                                                code=v["code"], channel="app")
        return Response(s.EvaluationOutputSerializer(evaluation).data, status=201)
