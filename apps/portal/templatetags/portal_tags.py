from django import template

from apps.core.navigation import menu_for

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_menu(context):
    request = context.get("request")
    return menu_for(request.user) if request else []
