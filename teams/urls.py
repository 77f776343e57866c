from django.urls import path

from teams import console, help_queue, views

urlpatterns = [
    path("events/<slug:slug>/teams/", views.board, name="team_board"),
    path("events/<slug:slug>/teams/new/", views.team_create, name="team_create"),
    path("events/<slug:slug>/teams/looking/", views.looking, name="team_looking"),
    path(
        "events/<slug:slug>/teams/partners/<int:pk>/remove/",
        views.partner_remove,
        name="team_partner_remove",
    ),
    path("events/<slug:slug>/help/", help_queue.queue, name="help_queue"),
    path("events/<slug:slug>/help/live/", help_queue.queue_live, name="help_queue_live"),
    path("teams/join/<str:code>/", views.team_join, name="team_join"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("teams/<int:pk>/request/", views.team_request, name="team_request"),
    path("teams/<int:pk>/leave/", views.team_leave, name="team_leave"),
    path("teams/<int:pk>/disband/", views.team_disband, name="team_disband"),
    path("teams/<int:pk>/location/", views.team_location, name="team_location"),
    path("teams/<int:pk>/invite/", views.invite_regenerate, name="team_invite_regenerate"),
    path(
        "teams/<int:pk>/members/<int:user_pk>/remove/",
        views.member_remove,
        name="team_member_remove",
    ),
    path(
        "teams/<int:pk>/members/<int:user_pk>/lead/", views.lead_transfer, name="team_lead_transfer"
    ),
    path("teams/<int:pk>/help/", help_queue.raise_help, name="help_raise"),
    path("team-requests/<int:pk>/decide/", views.request_decide, name="team_request_decide"),
    path("team-requests/<int:pk>/withdraw/", views.request_withdraw, name="team_request_withdraw"),
    path("help/<int:pk>/<str:step>/", help_queue.move, name="help_move"),
    path("organise/<slug:slug>/teams/", console.overview, name="teams_console"),
    path("organise/<slug:slug>/matching/", console.matching, name="teams_matching"),
    path(
        "organise/<slug:slug>/matching/<int:pk>/move/",
        console.matching_move,
        name="teams_matching_move",
    ),
    path(
        "organise/<slug:slug>/matching/<int:pk>/apply/",
        console.matching_apply,
        name="teams_matching_apply",
    ),
    path(
        "organise/<slug:slug>/matching/<int:pk>/discard/",
        console.matching_discard,
        name="teams_matching_discard",
    ),
]
