"""`{% sheet_problem error field as problem %}`: what a refused save said about one
field of a score sheet (a criterion, or a note by its name), or ""."""

from django import template

register = template.Library()


@register.simple_tag
def sheet_problem(error, field) -> str:
    if error is None:
        return ""
    key = field if isinstance(field, str) else f"criterion_{field.pk}"
    return " ".join(error.details.get(key, []))
