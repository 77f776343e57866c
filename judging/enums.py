from django.db import models


class ConflictKind(models.TextChoices):
    TEAM = "team", "A team"
    PERSON = "person", "A person"
    ORGANISATION = "organisation", "An organisation"
