from rest_framework import generics

from accounts import services
from accounts.api.serializers import MeSerializer, SkillSerializer
from accounts.models import Skill
from common.permissions import ALLOW_ANY


class MeView(generics.RetrieveUpdateAPIView):
    """The signed-in person's profile."""

    serializer_class = MeSerializer
    http_method_names = ["get", "patch", "head", "options"]
    permission_rules = {
        "get": "common.signed_in",
        "patch": "common.signed_in",
    }

    def get_object(self):
        return self.request.user

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        skills = data.pop("skills", None)
        serializer.instance = services.profile_update(user=self.request.user, skills=skills, **data)


class SkillListView(generics.ListAPIView):
    """The skills a profile can list."""

    serializer_class = SkillSerializer
    queryset = Skill.objects.all()
    pagination_class = None
    permission_rules = {"get": ALLOW_ANY}
