from django import template

from events.extensions import console_parts

register = template.Library()


@register.simple_tag
def console_part_links():
    """(key, title) of every registered part of an event, for the console's navigation."""
    return [(key, part.title) for key, part in console_parts.items()]
