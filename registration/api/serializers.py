from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.models import Theme
from registration.enums import Actor, ConsentKind, RegistrationStatus, moves_for
from registration.models import Question, Registration, SegmentMessage


class RegistrationSerializer(serializers.ModelSerializer):
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    waitlist_position = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Registration
        fields = ["id", "event", "status", "applied_at", "offer_expires_at", "waitlist_position"]
        read_only_fields = fields


class RegistrationCreateSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        default=dict,
        help_text='Answers by question id, e.g. {"12": "Vegetarian"}.',
    )
    theme_interests = serializers.ListField(
        child=serializers.SlugField(),
        required=False,
        default=list,
        help_text="Slugs of the event's themes.",
    )
    consents = serializers.ListField(
        child=serializers.ChoiceField(choices=ConsentKind.choices),
        help_text="code_of_conduct and privacy are required; photography is optional.",
    )

    def validate_theme_interests(self, slugs):
        """The event's themes named, looked up together in one query."""
        wanted = set(slugs)
        if not wanted:
            return []
        themes = list(Theme.objects.filter(event=self.context["event"], slug__in=wanted))
        unknown = wanted - {theme.slug for theme in themes}
        if unknown:
            raise serializers.ValidationError(
                f"Not a theme of this event: {', '.join(sorted(unknown))}."
            )
        return themes


class DoorRegistrationSerializer(serializers.ModelSerializer):
    """What the door needs of a registration: who, and whether they are in."""

    name = serializers.CharField(source="person_name", read_only=True)
    walk_in = serializers.BooleanField(source="is_walk_in", read_only=True)

    class Meta:
        model = Registration
        fields = ["id", "name", "walk_in", "status", "checked_in_at"]
        read_only_fields = fields


class OrganiserRegistrationSerializer(DoorRegistrationSerializer):
    """A registration as the event's organisers see it, with the answers they may read."""

    email = serializers.EmailField(source="user.email", read_only=True, default=None)
    participant_type = serializers.CharField(
        source="user.participant_type", read_only=True, default=None
    )
    theme_interests = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    answers = serializers.SerializerMethodField(
        help_text="Answers by question id; sensitive ones only for those allowed to see them."
    )

    class Meta(DoorRegistrationSerializer.Meta):
        fields = [
            *DoorRegistrationSerializer.Meta.fields,
            "email",
            "participant_type",
            "applied_at",
            "offer_expires_at",
            "theme_interests",
            "answers",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_answers(self, registration):
        visible = self.context["visible_question_ids"]
        return {
            str(answer.question_id): answer.value
            for answer in registration.answers.all()
            if answer.question_id in visible
        }


ORGANISER_MOVES = moves_for(Actor.ORGANISER)


class StatusChangeSerializer(serializers.Serializer):
    """An organiser's decision: only the statuses organisers may set (the lifecycle table
    in registration.enums); withdrawing, answering an offer, expiry, check-in and no-shows
    belong to others."""

    status = serializers.ChoiceField(
        choices=[(value, RegistrationStatus(value).label) for value in ORGANISER_MOVES],
        error_messages={
            "invalid_choice": "“{input}” is not a status organisers can set; choose one of "
            + ", ".join(ORGANISER_MOVES)
            + "."
        },
    )


class TicketSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="The ticket code, as scanned from its QR code or typed (e.g. ABCDE-23456); "
        "case, spaces and hyphens do not matter."
    )


class TicketCodeSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="The new ticket code. Only its hash is kept: this answer is the only "
        "time it is shown."
    )
    issued_at = serializers.DateTimeField()


class WalkInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    consents = serializers.ListField(
        child=serializers.ChoiceField(choices=ConsentKind.choices),
        help_text="code_of_conduct and privacy are required; photography is optional.",
    )


class SegmentMessageSerializer(serializers.ModelSerializer):
    sent_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = SegmentMessage
        fields = [
            "id",
            "segment",
            "subject",
            "body",
            "sent_by",
            "sent_at",
            "delivered_at",
            "recipient_count",
        ]
        read_only_fields = ["sent_by", "sent_at", "delivered_at", "recipient_count"]


class QuestionSerializer(serializers.ModelSerializer):
    """A question of an event's questionnaire; answers are sent keyed by its id."""

    class Meta:
        model = Question
        fields = ["id", "label", "help_text", "kind", "choices", "required", "sensitive", "order"]
        read_only_fields = fields
        extra_kwargs = {
            "choices": {"help_text": "The options of a single or multiple choice question."},
            "sensitive": {
                "help_text": "Answers (access or dietary needs) are seen only by the organisers."
            },
        }
