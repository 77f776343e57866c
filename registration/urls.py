from django.urls import path, re_path

from registration import console, door, legal, views

urlpatterns = [
    path("events/<slug:slug>/register/", views.register, name="registration_register"),
    path("registrations/", views.mine, name="registration_mine"),
    path("registrations/<int:pk>/edit/", views.edit, name="registration_edit"),
    path("registrations/<int:pk>/leave/", views.leave, name="registration_leave"),
    path("registrations/<int:pk>/offer/", views.offer, name="registration_offer"),
    path("registrations/<int:pk>/ticket/", views.ticket, name="registration_ticket"),
    path("organise/<slug:slug>/check-in/", door.check_in, name="registration_check_in"),
    path(
        "organise/<slug:slug>/registrations/",
        console.registrations,
        name="registration_console",
    ),
    path(
        "organise/<slug:slug>/registrations/<int:pk>/",
        console.person,
        name="registration_person",
    ),
    path(
        "organise/<slug:slug>/registrations/<int:pk>/offer/",
        console.offer_place,
        name="registration_offer_place",
    ),
    path(
        "organise/<slug:slug>/registrations/<int:pk>/ticket-reissue/",
        console.ticket_reissue,
        name="registration_ticket_reissue",
    ),
    path(
        "organise/<slug:slug>/messages/",
        console.segment_messages,
        name="registration_messages",
    ),
    path(
        "organise/<slug:slug>/messages/<int:pk>/",
        console.segment_message,
        name="registration_message",
    ),
    path(
        "organise/<slug:slug>/registrations.csv",
        console.registrations_csv,
        name="registration_console_csv",
    ),
    path("organise/<slug:slug>/check-in/walk-in/", door.walk_in, name="registration_walk_in"),
    path(
        "organise/<slug:slug>/check-in/<int:pk>/",
        door.check_in_one,
        name="registration_check_in_one",
    ),
]
# The texts accepted with a consent: the current version, and each published one.
for kind, page in legal.PAGES.items():
    urlpatterns += [
        path(f"{page}/", legal.legal_text, {"kind": kind}, name=f"legal_{kind}"),
        re_path(
            rf"^{page}/(?P<version>{legal.VERSION_PATTERN})/$",
            legal.legal_text,
            {"kind": kind},
            name=f"legal_{kind}_version",
        ),
    ]
