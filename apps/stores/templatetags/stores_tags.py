"""Hooks the stores app offers other apps' templates."""
from django import template

register = template.Library()


@register.inclusion_tag("stores/public/_power_list_button.html")
def power_list_button(item):
    """STORE-2.g: the 权责清单 button of a service guide (nothing when no entry is linked; one query)."""
    from apps.stores.selectors import power_entries_for_item

    return {"item": item, "power_entries": power_entries_for_item(item.pk)}


@register.inclusion_tag("stores/public/_recommended.html")
def recommended_matters(limit: int = 8):
    """STORE-2.e: the recommended matters in force today, in order, for the portal home page and the user
    centre (one query)."""
    from apps.stores.selectors import current_recommendations

    return {"recommendations": list(current_recommendations(limit=limit))}
