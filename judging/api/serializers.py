from decimal import Decimal

from rest_framework import serializers

from events.models import Challenge, Theme
from judging.models import MAX_DESCRIPTOR, Criterion, levels_problem


class LevelSerializer(serializers.Serializer):
    """One level: stored as a [score, text] pair, shown and taken as an object."""

    score = serializers.IntegerField(min_value=0)
    text = serializers.CharField(max_length=MAX_DESCRIPTOR)

    def to_representation(self, level):
        score, text = level
        return {"score": score, "text": text}


class CriterionSerializer(serializers.ModelSerializer):
    theme = serializers.SlugRelatedField(
        slug_field="slug", queryset=Theme.objects.none(), required=False, allow_null=True
    )
    challenge = serializers.SlugRelatedField(
        slug_field="slug", queryset=Challenge.objects.none(), required=False, allow_null=True
    )
    levels = LevelSerializer(many=True, required=False, help_text="What each score means.")
    weight = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.1"),
        required=False,
        coerce_to_string=False,
    )

    class Meta:
        model = Criterion
        fields = [
            "id", "name", "description", "weight", "scale_min", "scale_max", "levels",
            "theme", "challenge", "order",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.context.get("event")
        if event is not None:
            self.fields["theme"].queryset = Theme.objects.filter(event=event)
            self.fields["challenge"].queryset = Challenge.objects.filter(event=event)

    def validate(self, attrs):
        if "levels" in attrs:
            attrs["levels"] = [[level["score"], level["text"]] for level in attrs["levels"]]
        instance = self.instance
        scale_min = attrs.get("scale_min", instance.scale_min if instance else 1)
        scale_max = attrs.get("scale_max", instance.scale_max if instance else 5)
        levels = attrs.get("levels", instance.levels if instance else [])
        if scale_max > scale_min:
            problem = levels_problem(levels, scale_min, scale_max)
            if problem:
                raise serializers.ValidationError({"levels": [problem]})
        return attrs


class RankedEntrySerializer(serializers.Serializer):
    """One entry of the public ranking (judging.results says how it is computed)."""

    rank = serializers.IntegerField(help_text="Shared by equal entries: 1, 2, 2, 4.")
    submission = serializers.IntegerField(help_text="The entry's id.")
    title = serializers.CharField()
    team = serializers.CharField(help_text="The team's name.")
    normalised_score = serializers.FloatField(
        help_text="The mean of the judges' totals, each judge's normalised: 0 to 100."
    )
    rank_low = serializers.IntegerField(
        allow_null=True, help_text="The best rank within the 95 % interval of likely ranks."
    )
    rank_high = serializers.IntegerField(
        allow_null=True, help_text="The worst rank within the 95 % interval of likely ranks."
    )
    too_close_to_call = serializers.BooleanField(
        allow_null=True, help_text="Its likely ranks overlap a neighbour's."
    )


class EventResultsSerializer(serializers.Serializer):
    published_at = serializers.DateTimeField(
        allow_null=True, help_text="When organisers published the results; null before."
    )
    ranking = RankedEntrySerializer(many=True)
