"""企业专属服务空间 (STORE-2.d): the logged-in enterprise's own page."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from apps.stores import selectors_enterprise
from apps.stores.models import StoreService
from apps.stores.services import enterprise as services


@login_required(login_url="public:login")
def space(request):
    services.require_enterprise(request.user)
    services.enterprise_messages_refresh(user=request.user)
    return render(request, "stores/public/enterprise.html", selectors_enterprise.space(user=request.user))


@require_POST
@login_required(login_url="public:login")
def action(request):
    user = request.user
    services.require_enterprise(user)
    name = request.POST.get("action", "")
    try:
        if name == "subscribe_policies":
            tags = services.enterprise_policy_subscribe(user=user)
            messages.success(request, "已订阅：" + "、".join(t.name for t in tags))
        elif name in ("subscribe_service", "unsubscribe_service"):
            service = get_object_or_404(StoreService, pk=request.POST.get("service") or 0)
            services.enterprise_service_subscribe(user=user, service=service, subscribe=name == "subscribe_service")
        elif name == "read":
            services.enterprise_message_read(user=user, message_id=int(request.POST.get("message") or 0))
        else:
            raise ValidationError("未知操作。")
    except (ValidationError, PermissionDenied) as error:
        for text in getattr(error, "messages", [str(error)]):
            messages.error(request, text)
    return redirect("stores-public:enterprise")


def code_verify(request):
    """Anyone (a window, a partner system) checks an enterprise service code; the answer is masked."""
    from apps.stores.selectors_licences import mask_name

    try:
        enterprise = services.enterprise_service_code_verify(code=request.GET.get("code", ""))
    except ValidationError as error:
        return JsonResponse({"valid": False, "errors": error.message_dict}, status=400)
    return JsonResponse({"valid": True, "name": mask_name(enterprise.full_name or enterprise.username),
                         "credit_code": enterprise.credit_code[:6] + "********" + enterprise.credit_code[-4:]})
