"""综合查询 (ACC-8.2, 17.0): case progress by number or digital case code, complaint progress and logistics
progress on one public page; a wrong pair of facts gets the same "not found" as an unknown number."""
from __future__ import annotations

from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from apps.acceptance import lookup
from apps.acceptance.views.channels import ChannelVisitMixin
from apps.core.workflow import timeline_for

KINDS = ("case", "code", "complaint", "delivery")


def _public_timeline(obj):
    transitions = timeline_for(obj)
    for t in transitions:  # the public page does not name staff
        t.actor_name = ""
    return transitions


class LookupView(ChannelVisitMixin, TemplateView):
    visit_function = "lookup"
    template_name = "acceptance/public/lookup.html"

    def get_context_data(self, **kwargs):
        get = self.request.GET
        kind = get.get("kind") if get.get("kind") in KINDS else ("code" if get.get("code") else "case")
        context = {"kind": kind, "values": {k: get.get(k, "") for k in ("case_number", "id_number", "code",
                                                                           "number", "mobile", "waybill")}}
        if any(context["values"].values()):
            context.update(self._result(kind, context["values"]))
        return super().get_context_data(**context, **kwargs)

    def _result(self, kind: str, v: dict) -> dict:
        not_found = {"not_found": _("未查到匹配的记录，请核对填写的信息。")}
        if kind in ("case", "code"):
            case = lookup.case_for_code(v["code"]) if kind == "code" else \
                lookup.case_for_number(v["case_number"], v["id_number"])
            if case is None:
                return not_found
            services = lookup.code_services(case, case.case_code.code) if kind == "code" else []
            return {"case": case, "transitions": _public_timeline(case), "services": services}
        if kind == "complaint":
            complaint = lookup.complaint_for(v["number"], v["mobile"])
            return {"complaint": complaint, "transitions": _public_timeline(complaint)} if complaint else not_found
        delivery = lookup.delivery_for(v["waybill"], v["case_number"])
        return {"delivery": delivery, "events": list(delivery.events.all())} if delivery else not_found
