"""Teams through the API: teams and joining, requests, the board, help and matching."""

from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.models import User
from common.permissions import RulePermission
from common.schema import error_responses
from events.api.mixins import EVENT_SLUG, EventScopedMixin
from teams import proposals, services
from teams.api.serializers import (
    BoardEntrySerializer,
    DecisionSerializer,
    HelpRequestSerializer,
    InviteCodeSerializer,
    JoinRequestCreateSerializer,
    JoinRequestSerializer,
    MatchingRunSerializer,
    MemberChoiceSerializer,
    MoveSerializer,
    TeamSerializer,
)
from teams.enums import JoinRequestStatus
from teams.models import BoardEntry, HelpRequest, JoinRequest, MatchingRun, Team
from teams.rules import HELP_STEP_RULES
from teams.selectors import board_entries, help_requests_of, teams_filtered

FILTERS = [
    OpenApiParameter("skill", OpenApiTypes.STR, description="A skill's slug."),
    OpenApiParameter("theme", OpenApiTypes.STR, description="A theme's slug."),
]
VIEW, LOOK, LEAD = "teams.view_board", "teams.look_for_team", "teams.manage_team"


@extend_schema(parameters=[EVENT_SLUG])
@error_responses(conflict="*", busy={"join", "leave", "disband", "remove_member", "transfer_lead"})
class TeamViewSet(
    EventScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """An event's teams: seen by those taking part, its mentors and organisers."""

    serializer_class = TeamSerializer
    filter_backends = []  # skill and theme filters, as on the board page
    permission_rules = {
        "list": VIEW,
        "retrieve": VIEW,
        "create": "teams.create_team",
        "update": LEAD,
        "partial_update": LEAD,
        "join": LOOK,
        "ask": LOOK,
        "leave": "teams.leave_team",
        "disband": LEAD,
        "new_invite": LEAD,
        "remove_member": LEAD,
        "transfer_lead": LEAD,
    }

    def get_permission_target(self):
        # A team's own rules (its lead, its members) are checked on the team itself.
        return None if self.detail else self.get_event()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Team.objects.none()
        params = self.request.query_params
        return teams_filtered(
            self.get_event(),
            skill=params.get("skill", ""),
            theme=params.get("theme", ""),
            with_members=True,
        )

    @extend_schema(parameters=FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.team_create(
            event=self.get_event(), user=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.team_update(
            team=Team.objects.get(pk=serializer.instance.pk),
            actor=self.request.user,
            wanted_skills=data.pop("wanted_skills", None),
            **data,
        )

    def _team_response(self, team, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=team.pk)).data, status=code)

    @extend_schema(request=InviteCodeSerializer, responses=TeamSerializer)
    @action(detail=True, methods=["post"])
    def join(self, request, event_slug=None, pk=None):
        """Join with the team's invite code, while it has a free place."""
        payload = InviteCodeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        team = self.get_object()
        services.team_join(team=team, user=request.user, **payload.validated_data)
        return self._team_response(team)

    @extend_schema(request=JoinRequestCreateSerializer, responses={201: JoinRequestSerializer})
    @action(detail=True, methods=["post"])
    def ask(self, request, event_slug=None, pk=None):
        """Ask the team's lead to let you join."""
        payload = JoinRequestCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        join_request = services.join_request_create(
            team=self.get_object(), user=request.user, **payload.validated_data
        )
        return Response(JoinRequestSerializer(join_request).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def leave(self, request, event_slug=None, pk=None):
        services.member_leave(team=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def disband(self, request, event_slug=None, pk=None):
        services.team_disband(team=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=TeamSerializer)
    @action(detail=True, methods=["post"], url_path="new-invite")
    def new_invite(self, request, event_slug=None, pk=None):
        """A new invite code; the old one stops working."""
        team = services.invite_code_regenerate(team=self.get_object(), actor=request.user)
        return self._team_response(team)

    def _member(self):
        payload = MemberChoiceSerializer(data=self.request.data)
        payload.is_valid(raise_exception=True)
        person = User.objects.filter(pk=payload.validated_data["user"]).first()
        if person is None:
            raise NotFound("No such person.")
        return person

    @extend_schema(request=MemberChoiceSerializer, responses=TeamSerializer)
    @action(detail=True, methods=["post"], url_path="remove-member")
    def remove_member(self, request, event_slug=None, pk=None):
        team = self.get_object()
        services.member_remove(team=team, user=self._member(), actor=request.user)
        return self._team_response(team)

    @extend_schema(request=MemberChoiceSerializer, responses=TeamSerializer)
    @action(detail=True, methods=["post"], url_path="transfer-lead")
    def transfer_lead(self, request, event_slug=None, pk=None):
        team = self.get_object()
        services.lead_transfer(team=team, to_user=self._member(), actor=request.user)
        return self._team_response(team)


@error_responses(conflict="*", busy={"decide"})
class JoinRequestViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Requests to join: your own, and those to the teams you lead."""

    serializer_class = JoinRequestSerializer
    # The requests are looked up among the signed-in person's own and those to teams they
    # lead, so a signed-out request is refused before any lookup; then each action's
    # rule decides on the request itself.
    permission_classes = [IsAuthenticated, RulePermission]
    permission_rules = {
        "list": "common.signed_in",  # one's own requests and those to one's teams
        "decide": "teams.decide_join_request",
        "withdraw": "teams.withdraw_join_request",
    }

    def get_permission_target(self):
        return None if self.detail else self.request.user

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return JoinRequest.objects.none()
        user = self.request.user
        led = Team.objects.filter(memberships__user=user, memberships__role="lead")
        requests = JoinRequest.objects.filter(Q(user=user) | Q(team__in=led))
        if self.action == "list":
            requests = requests.filter(status=JoinRequestStatus.PENDING)
        return requests.select_related("team", "user").order_by("created_at", "id")

    @extend_schema(request=DecisionSerializer, responses=JoinRequestSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """The team lead approves (the person joins, if there is room) or declines."""
        join_request = self.get_object()
        payload = DecisionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        decided = services.join_request_decide(
            request=join_request, actor=request.user, **payload.validated_data
        )
        return Response(JoinRequestSerializer(decided).data)

    @extend_schema(request=None, responses=JoinRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        withdrawn = services.join_request_withdraw(request=self.get_object(), actor=request.user)
        return Response(JoinRequestSerializer(withdrawn).data)


@extend_schema(parameters=[EVENT_SLUG])
@error_responses(conflict="*")
class BoardViewSet(EventScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """People looking for a team; `me` puts you on the board or takes you off."""

    serializer_class = BoardEntrySerializer
    filter_backends = []
    permission_rules = {"list": VIEW, "me": LOOK}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return BoardEntry.objects.none()
        params = self.request.query_params
        return board_entries(
            self.get_event(), skill=params.get("skill", ""), theme=params.get("theme", "")
        )

    @extend_schema(parameters=FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(methods=["PUT"], request=BoardEntrySerializer, responses=BoardEntrySerializer)
    @extend_schema(methods=["DELETE"], request=None, responses={204: None})
    @action(detail=False, methods=["put", "delete"])
    def me(self, request, event_slug=None):
        event = self.get_event()
        if request.method == "DELETE":
            services.board_entry_remove(event=event, user=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        payload = BoardEntrySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        entry = services.board_entry_set(event=event, user=request.user, **payload.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=entry.pk)).data)


@extend_schema(parameters=[EVENT_SLUG])
@error_responses(conflict="*")
class HelpRequestViewSet(
    EventScopedMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """The mentors' queue: open and claimed requests; teams raise them."""

    serializer_class = HelpRequestSerializer
    permission_rules = {"list": "teams.help_queue", "create": "teams.raise_help", **HELP_STEP_RULES}

    def get_permission_target(self):
        # A step's rule is checked on the help request itself (its team, its event).
        return None if self.detail else self.get_event()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return HelpRequest.objects.none()
        return help_requests_of(self.get_event(), active_only=self.action == "list")

    def perform_create(self, serializer):
        team = serializer.validated_data.pop("team")
        # The create rule again, on the team named: only its own members ask for it.
        self.check_object_permissions(self.request, team)
        serializer.instance = services.help_request_create(
            team=team, user=self.request.user, **serializer.validated_data
        )

    def _step(self, step):
        moved = services.help_request_move(
            help_request=self.get_object(), step=step, actor=self.request.user
        )
        return Response(self.get_serializer(moved).data)

    @extend_schema(request=None, responses=HelpRequestSerializer)
    @action(detail=True, methods=["post"])
    def claim(self, request, event_slug=None, pk=None):
        return self._step("claim")

    @extend_schema(request=None, responses=HelpRequestSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request, event_slug=None, pk=None):
        return self._step("release")

    @extend_schema(request=None, responses=HelpRequestSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, event_slug=None, pk=None):
        return self._step("resolve")

    @extend_schema(request=None, responses=HelpRequestSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, event_slug=None, pk=None):
        return self._step("cancel")


@extend_schema(parameters=[EVENT_SLUG])
@error_responses(conflict="*", busy={"apply"})
class MatchingRunViewSet(
    EventScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Matching for organisers: propose, move people, apply or discard."""

    serializer_class = MatchingRunSerializer
    permission_rules = dict.fromkeys(
        ("list", "retrieve", "create", "move", "apply", "discard"), "teams.run_matching"
    )

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MatchingRun.objects.none()
        return MatchingRun.objects.filter(event=self.get_event())

    def perform_create(self, serializer):
        serializer.instance = proposals.matching_propose(
            event=self.get_event(), actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=MoveSerializer, responses=MatchingRunSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, event_slug=None, pk=None):
        payload = MoveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        run = proposals.matching_move(
            run=self.get_object(),
            user_id=payload.validated_data["user"],
            to_key=payload.validated_data["to"],
            actor=request.user,
        )
        return Response(self.get_serializer(run).data)

    @extend_schema(request=None, responses=MatchingRunSerializer)
    @action(detail=True, methods=["post"])
    def apply(self, request, event_slug=None, pk=None):
        """Create the proposed teams (all or nothing) and email everyone placed."""
        run = self.get_object()
        proposals.matching_apply(run=run, actor=request.user)
        return Response(self.get_serializer(MatchingRun.objects.get(pk=run.pk)).data)

    @extend_schema(request=None, responses=MatchingRunSerializer)
    @action(detail=True, methods=["post"])
    def discard(self, request, event_slug=None, pk=None):
        run = proposals.matching_discard(run=self.get_object(), actor=request.user)
        return Response(self.get_serializer(run).data)
