"""API: the audit log, read-only (append-only log: no create, update or delete endpoints)."""
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.routers import SimpleRouter

from apps.core.filters.audit import AuditLogFilterSet
from apps.core.models.audit import AuditLog
from apps.core.selectors.audit import audit_list


class ModelPermission(permissions.BasePermission):
    """The user holds the Django permission named by the view's `required_permission`."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated
                    and request.user.has_perm(view.required_permission))


class AuditLogSerializer(serializers.ModelSerializer):
    action_display = serializers.CharField(source="get_action_display", read_only=True)
    actor_organisation_name = serializers.CharField(source="actor_organisation.name", read_only=True,
                                                    default=None, allow_null=True)
    object_type = serializers.SerializerMethodField()

    class Meta:
        model = AuditLog
        fields = ["id", "at", "actor", "actor_username", "actor_organisation", "actor_organisation_name",
                  "action", "action_display", "object_type", "object_id", "object_repr", "changes", "detail",
                  "method", "path", "view_name", "status_code", "ip", "user_agent", "request_id"]
        read_only_fields = fields

    def get_object_type(self, record) -> str | None:
        if not record.content_type_id:
            return None
        return f"{record.content_type.app_label}.{record.content_type.model}"


class AuditLogViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """操作日志：系统管理员可见全部；区域营商局可见本区域人员的操作记录。"""

    serializer_class = AuditLogSerializer
    permission_classes = [ModelPermission]
    required_permission = "core.view_auditlog"
    filterset_class = AuditLogFilterSet
    queryset = AuditLog.objects.none()       # for the schema; real rows come from the selector

    def get_queryset(self):
        return audit_list(user=self.request.user)


router = SimpleRouter()
router.register("audit-logs", AuditLogViewSet, basename="core-audit-log")
urlpatterns = router.urls
