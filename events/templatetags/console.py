from django import template

from events.extensions import console_pages, console_parts

register = template.Library()


@register.simple_tag
def console_part_links():
    """(key, title) of every registered part of an event, for the console's navigation."""
    return [(key, part.title) for key, part in console_parts.items()]


@register.simple_tag
def console_page_links():
    """(title, URL name) of the console's further pages, for its navigation."""
    return [(page.title, page.url_name) for page in console_pages]
