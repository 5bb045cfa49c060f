"""统一附件管理平台 pages (ACC-18.0): the attachment list and preview/download of one attachment.

Staff need `acceptance.view_case` and see what their data scope allows; an applicant sees the
attachments of their own cases (owner scope). Outside scope answers 404; a purged attachment 410.
Every preview or download is audited."""
from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from apps.acceptance.models import Attachment
from apps.core.scope import restrict
from apps.core.services.audit import audit_record
from apps.core.views.mixins import StaffPermissionMixin

INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "text/plain"}


def attachment_list(user):
    return restrict(Attachment.objects.select_related("case", "material", "uploaded_by"), user)


class AttachmentListView(StaffPermissionMixin, TemplateView):
    permission_required = "acceptance.view_case"
    template_name = "acceptance/attachments.html"

    def get_context_data(self, **kwargs):
        rows = attachment_list(self.request.user)
        number = self.request.GET.get("case_number", "").strip()
        if number:
            rows = rows.filter(case__case_number=number)
        return super().get_context_data(attachments=rows[:200], case_number=number, **kwargs)


class AttachmentFileView(LoginRequiredMixin, View):
    login_url = "portal:login"

    def get(self, request, pk, mode):
        user = request.user
        if getattr(user, "is_staff_user", False) and not user.has_perm("acceptance.view_case"):
            raise PermissionDenied(_("您没有执行此操作的权限。"))
        attachment = attachment_list(user).filter(pk=pk).first()
        if attachment is None or mode not in ("preview", "download"):
            raise Http404
        if attachment.purged_at is not None or attachment.blob_id is None:
            return HttpResponse(_("该附件已超过保存期限并被清理。"), status=410,
                                content_type="text/plain; charset=utf-8")
        audit_record(actor=user, action="other", obj=attachment, request=request,
                     detail=f"attachment {mode}: {attachment.original_name}")
        handle = default_storage.open(attachment.blob.storage_name, "rb")
        inline = mode == "preview" and attachment.content_type in INLINE_TYPES
        response = FileResponse(handle, as_attachment=not inline, filename=attachment.original_name,
                                content_type=attachment.content_type + ("; charset=utf-8"
                                                                        if attachment.content_type == "text/plain"
                                                                        else ""))
        if inline:
            response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(attachment.original_name)}"
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "sandbox"
        return response
