from django.urls import path

from events import organise, views
from events.extensions import console_parts

urlpatterns = [
    path("", views.home, name="home"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("events/<slug:slug>/schedule.ics", views.event_ical, name="event_ical"),
]

organise_urlpatterns = [
    path("", organise.organise_home, name="organise_home"),
    path("new/", organise.event_create, name="organise_event_create"),
    path("<slug:slug>/", organise.dashboard, name="organise_dashboard"),
    path("<slug:slug>/details/", organise.event_edit, name="organise_event_edit"),
    path("<slug:slug>/publish/", organise.event_publish, name="organise_event_publish"),
    path("<slug:slug>/create-next/", organise.event_create_next, name="organise_event_create_next"),
    path("<slug:slug>/roles/", organise.roles, name="organise_roles"),
    path("<slug:slug>/roles/<int:pk>/revoke/", organise.role_revoke, name="organise_role_revoke"),
]
# Every registered part of an event (events' own and later apps') gets the same pages.
for key, part in console_parts.items():
    organise_urlpatterns += [
        path(f"<slug:slug>/{key}/", organise.child_list, {"kind": key}, name=f"organise_{key}"),
        path(
            f"<slug:slug>/{key}/<int:pk>/edit/",
            organise.child_edit,
            {"kind": key},
            name=f"{part.url_prefix}_edit",
        ),
        path(
            f"<slug:slug>/{key}/<int:pk>/delete/",
            organise.child_delete,
            {"kind": key},
            name=f"{part.url_prefix}_delete",
        ),
    ]
    if part.orderable:
        organise_urlpatterns.append(
            path(
                f"<slug:slug>/{key}/<int:pk>/move/",
                organise.child_move,
                {"kind": key},
                name=f"{part.url_prefix}_move",
            )
        )
    if part.has_preview:
        organise_urlpatterns.append(
            path(
                f"<slug:slug>/{key}/preview/",
                organise.child_preview,
                {"kind": key},
                name=f"organise_{key}_preview",
            )
        )
