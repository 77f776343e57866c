from rest_framework import serializers

from accounts.models import Skill, User


class MeSerializer(serializers.ModelSerializer):
    skills = serializers.SlugRelatedField(
        slug_field="slug", queryset=Skill.objects.all(), many=True, required=False
    )

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "display_name",
            "organisation",
            "participant_type",
            "skills",
            "bio",
        ]
        read_only_fields = ["id", "email"]
        # Others see the person by this name, so it cannot be emptied (as on the profile).
        extra_kwargs = {"display_name": {"allow_blank": False}}


class SkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["slug", "name"]
