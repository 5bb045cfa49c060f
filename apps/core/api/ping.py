"""A trivial JSON view: the baseline of bench/baseline.py (and a liveness probe)."""
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView


class PingView(APIView):
    """No authentication, no database: what the framework alone costs."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=inline_serializer("Ping", {"status": serializers.CharField()}), auth=[])
    def get(self, request):
        return Response({"status": "ok"})
