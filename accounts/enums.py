from django.db import models


class ParticipantType(models.TextChoices):
    STUDENT = "student", "Student"
    RESEARCHER = "researcher", "Researcher"
    DEVELOPER = "developer", "Developer"
    LOCAL_PROFESSIONAL = "local_professional", "Local professional"
    COMMUNITY_RESEARCHER = "community_researcher", "Community researcher"
    OTHER = "other", "Other"


# The skills every new installation starts with (created by a data migration).
DEFAULT_SKILLS = [
    ("data-analysis", "Data analysis"),
    ("coding", "Coding"),
    ("design-ux", "Design / UX"),
    ("domain-knowledge", "Domain knowledge or lived experience"),
    ("project-management", "Project management"),
    ("storytelling", "Storytelling / presentation"),
]
