"""Pages of the query services (STORE-3.x): the zone with all 95, and one page per service."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.views import View

from apps.core.middleware import client_address
from apps.stores.queries import QueryRefused, check_access, run_query
from apps.stores.queries_catalogue import SERVICES, Access, get_service, services_by_topic
from apps.stores.queries_forms import query_form

TEMPLATE = "stores/queries/service.html"


def zone(request):
    """国家旗舰店黑龙江专区 · 查询服务: every service by topic, narrowed by a name / department keyword."""
    keyword = request.GET.get("q", "").strip()[:40]
    found = [s for s in SERVICES if keyword in s.name or keyword in s.source] if keyword else list(SERVICES)
    return render(request, "stores/queries/zone.html",
                  {"topics": services_by_topic(found), "keyword": keyword, "found": len(found),
                   "total": len(SERVICES)})


def _service_or_404(code: str):
    service = get_service(code)
    if service is None:
        raise Http404("没有这个查询服务")
    return service


def _refusal(request, service):
    try:
        check_access(request.user, service)
    except QueryRefused as refused:
        return refused
    return None


class ServiceView(View):
    """One query service: GET shows its form, POST runs it and shows the answer below the form."""

    def get(self, request, code):
        service = _service_or_404(code)
        return self._render(request, service, query_form(service), refused=_refusal(request, service))

    def post(self, request, code):
        service = _service_or_404(code)
        form = query_form(service, request.POST)
        try:
            answer = run_query(user=request.user, service=service, data=request.POST,
                               client_key=client_address(request))
        except QueryRefused as refused:
            if refused.status == 401:
                login = reverse("public:login") + "?" + urlencode({"next": request.path})
                return HttpResponseRedirect(login)
            return self._render(request, service, form, refused=refused, status=refused.status)
        except ValidationError:
            form.is_valid()           # the same form the service checked: its field errors, for the page
            return self._render(request, service, form, status=400)
        return self._render(request, service, form, answer=answer)

    @staticmethod
    def _render(request, service, form, *, answer=None, refused=None, status=200):
        response = render(request, TEMPLATE, {
            "service": service, "form": form, "answer": answer, "refused": refused,
            "login_url": reverse("public:login") + "?" + urlencode({"next": request.path}),
        }, status=status)
        if service.access != Access.PUBLIC:
            patch_cache_control(response, private=True, no_store=True)
        return response
