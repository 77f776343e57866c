from rest_framework import serializers

from feedback.enums import Audience
from feedback.models import Survey, SurveyQuestion, SurveyReportBuild


class SurveySerializer(serializers.ModelSerializer):
    audiences = serializers.ListField(
        child=serializers.ChoiceField(choices=Audience.choices), allow_empty=True
    )
    opens_at = serializers.DateTimeField(
        read_only=True, help_text="When invitations are emailed: a while after the event ends."
    )

    class Meta:
        model = Survey
        fields = ["intro", "anonymous", "audiences", "opens_at", "closes_at"]


class SurveyQuestionSerializer(serializers.ModelSerializer):
    audiences = serializers.ListField(
        child=serializers.ChoiceField(choices=Audience.choices), min_length=1
    )
    choices = serializers.ListField(
        child=serializers.CharField(max_length=150), required=False, max_length=30
    )

    class Meta:
        model = SurveyQuestion
        fields = [
            "id",
            "key",
            "text",
            "help_text",
            "kind",
            "choices",
            "audiences",
            "required",
            "order",
        ]
        read_only_fields = ["key"]


class SurveyReportSerializer(serializers.ModelSerializer):
    pending = serializers.BooleanField(read_only=True, help_text="A newer build was asked for.")
    content = serializers.JSONField(
        read_only=True,
        help_text='{"survey": the figures of feedback.report.SurveyReport, "facts": the '
        "event's own figures}; empty before the first build.",
    )

    class Meta:
        model = SurveyReportBuild
        fields = ["requested_at", "built_at", "pending", "content"]


class LinkedSurveySerializer(serializers.Serializer):
    """What a survey link leads to: the questions its audience is asked."""

    event = serializers.CharField(source="survey.event.name")
    anonymous = serializers.BooleanField(source="survey.anonymous")
    closes_at = serializers.DateTimeField(source="survey.closes_at")
    intro = serializers.CharField(source="survey.intro")
    questions = SurveyQuestionSerializer(many=True)


class AnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(
        help_text="{question id: answer}: a whole number on a scale, an option's text, a "
        "list of options, or text."
    )
