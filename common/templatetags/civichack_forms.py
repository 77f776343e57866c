from django import template

from common.forms import error_target_id

register = template.Library()


@register.filter
def error_target(field) -> str:
    return error_target_id(field)
