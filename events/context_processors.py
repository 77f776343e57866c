"""The site navigation every page's header shows."""

from dataclasses import dataclass

import rules
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from events.models import EventRole


@dataclass(frozen=True)
class NavigationItem:
    label: str
    url: str
    current: bool


def may_organise(user) -> bool:
    """Whether the console has anything for `user`: a role in some event, or the right
    to create one."""
    if not user.is_authenticated:
        return False
    return rules.has_perm("events.add_event", user) or EventRole.objects.filter(user=user).exists()


def _items(request) -> list[NavigationItem]:
    user = request.user
    # The catalogue is public: everyone gets its link.
    links = [("Events", reverse("home")), ("Datasets", reverse("datasets:catalogue"))]
    if user.is_authenticated:
        links.append(("My registrations", reverse("registration_mine")))
        if may_organise(user):
            links.append(("Organise", reverse("organise_home")))
        # By permission name: the catalogue (datasets) comes after events.
        if rules.has_perm("datasets.change_dataset", user):
            links.append(("Catalogue", reverse("datasets:editor_home")))
        links.append(("Profile", reverse("account_profile")))
    else:
        links += [("Sign in", reverse("account_login")), ("Sign up", reverse("account_signup"))]
    # The longest link that prefixes the path is the current section. "/" prefixes every
    # path, so Events covers the home page and the event pages only.
    home, events = reverse("home"), reverse("event_detail", args=["-"]).removesuffix("-/")
    sections = {url: (events if url == home else url) for _, url in links}
    path = request.path
    matching = [url for url, section in sections.items() if path == url or path.startswith(section)]
    current = max(matching, key=len, default=None)
    return [NavigationItem(label, url, url == current) for label, url in links]


def navigation(request):
    """`navigation`: the header's links, worked out only when a page shows them."""
    return {"navigation": SimpleLazyObject(lambda: _items(request))}
