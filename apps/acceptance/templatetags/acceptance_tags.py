"""Template helpers of the acceptance pages."""
from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`mapping|get_item:key` — a dict lookup by a variable key (None when absent or not a dict)."""
    return mapping.get(key) if hasattr(mapping, "get") else None
