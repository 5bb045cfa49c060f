from django import template

register = template.Library()


@register.simple_tag
def column_value(column, obj):
    """Render one ExportColumn of a row the way the export writes it."""
    value = column.read(obj)
    return "—" if value in ("", None) else value
