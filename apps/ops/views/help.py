"""Context help pages (OPS-8.3): /portal/ops/help/?page=<url name>, and the index of every topic."""
from django.http import Http404
from django.views.generic import TemplateView

from apps.core.views.mixins import StaffRequiredMixin
from apps.ops.help import all_topics, topic_for


class HelpView(StaffRequiredMixin, TemplateView):
    template_name = "ops/help.html"

    def get_context_data(self, **kwargs):
        page = self.request.GET.get("page", "")
        if page:
            topic = topic_for(page)
            if topic is None:
                raise Http404
            return {**super().get_context_data(**kwargs), "topic": topic, "title": topic.title}
        return {**super().get_context_data(**kwargs), "topics": all_topics(), "title": "帮助中心"}
