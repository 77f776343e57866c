from rest_framework import serializers

from accounts.models import Skill
from events.models import Challenge, Theme
from teams.models import BoardEntry, HelpRequest, JoinRequest, MatchingRun, Team, TeamMembership


class MemberSerializer(serializers.ModelSerializer):
    # Both null for someone who deleted their account after the event (their place stays).
    id = serializers.IntegerField(source="user_id", read_only=True, allow_null=True)
    name = serializers.StringRelatedField(source="user", allow_null=True)

    class Meta:
        model = TeamMembership
        fields = ["id", "name", "role", "joined_at"]
        read_only_fields = fields


class TeamSerializer(serializers.ModelSerializer):
    challenge = serializers.SlugRelatedField(
        slug_field="slug", queryset=Challenge.objects.none(), required=False, allow_null=True
    )
    theme = serializers.SlugRelatedField(
        slug_field="slug", queryset=Theme.objects.none(), required=False, allow_null=True
    )
    wanted_skills = serializers.SlugRelatedField(
        slug_field="slug", queryset=Skill.objects.all(), many=True, required=False
    )
    members = MemberSerializer(source="memberships", many=True, read_only=True)
    invite_code = serializers.SerializerMethodField(
        help_text="For the team's members only; null for everyone else."
    )

    class Meta:
        model = Team
        fields = [
            "id",
            "name",
            "description",
            "challenge",
            "theme",
            "wanted_skills",
            "accepts_requests",
            "formed_by_matching",
            "members",
            "invite_code",
        ]
        read_only_fields = ["formed_by_matching"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.context.get("event")
        if event is not None:
            self.fields["challenge"].queryset = Challenge.objects.filter(event=event)
            self.fields["theme"].queryset = Theme.objects.filter(event=event)

    def get_invite_code(self, team) -> str | None:
        # Read from the prefetched members, so a list costs no query per team.
        user_id = self.context["request"].user.pk
        is_member = any(m.user_id == user_id for m in team.memberships.all())
        return team.invite_code if is_member else None


class InviteCodeSerializer(serializers.Serializer):
    invite_code = serializers.CharField()


class JoinRequestCreateSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class MemberChoiceSerializer(serializers.Serializer):
    user = serializers.IntegerField(help_text="The member's user id.")


class JoinRequestSerializer(serializers.ModelSerializer):
    team = serializers.PrimaryKeyRelatedField(read_only=True)
    user = serializers.CharField(source="user.__str__", read_only=True)

    class Meta:
        model = JoinRequest
        fields = ["id", "team", "user", "message", "status", "created_at", "decided_at"]
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()


class BoardEntrySerializer(serializers.ModelSerializer):
    """A pitch, with the person's skills and type from their profile and theme interests
    from their registration."""

    name = serializers.CharField(source="user.__str__", read_only=True)
    participant_type = serializers.CharField(source="user.participant_type", read_only=True)
    skills = serializers.SerializerMethodField()
    theme_interests = serializers.SerializerMethodField()

    class Meta:
        model = BoardEntry
        fields = [
            "id",
            "name",
            "participant_type",
            "skills",
            "theme_interests",
            "pitch",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "name",
            "participant_type",
            "skills",
            "theme_interests",
            "updated_at",
        ]

    def get_skills(self, entry) -> list[str]:
        return [skill.slug for skill in entry.user.skills.all()]

    def get_theme_interests(self, entry) -> list[str]:
        return [
            theme.slug
            for registration in entry.user.registrations_here
            for theme in registration.theme_interests.all()
        ]


class HelpRequestSerializer(serializers.ModelSerializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.none())
    skill = serializers.SlugRelatedField(
        slug_field="slug", queryset=Skill.objects.all(), required=False, allow_null=True
    )
    claimed_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = HelpRequest
        fields = ["id", "team", "topic", "skill", "details", "status", "claimed_by", "created_at"]
        read_only_fields = ["status", "claimed_by", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.context.get("event")
        if event is not None:
            self.fields["team"].queryset = Team.objects.filter(
                event=event, disbanded_at__isnull=True
            )


class MatchingRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = MatchingRun
        fields = ["id", "seed", "top_up", "status", "proposal", "created_at", "applied_at"]
        read_only_fields = ["status", "proposal", "created_at", "applied_at"]
        extra_kwargs = {"seed": {"required": False}}


class MoveSerializer(serializers.Serializer):
    user = serializers.IntegerField(help_text="The user id of the person to move.")
    to = serializers.CharField(help_text='A team key of the proposal, or "new" for a new team.')
