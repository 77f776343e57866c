from rest_framework import serializers

from events.models import Theme
from registration.enums import ConsentKind
from registration.models import Registration


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
    theme_interests = serializers.SlugRelatedField(
        slug_field="slug", queryset=Theme.objects.none(), many=True, required=False, default=list
    )
    consents = serializers.ListField(
        child=serializers.ChoiceField(choices=ConsentKind.choices),
        help_text="code_of_conduct and privacy are required; photography is optional.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.context.get("event")
        if event is not None:
            self.fields["theme_interests"].child_relation.queryset = Theme.objects.filter(
                event=event
            )
