from django.db import models


class ConflictKind(models.TextChoices):
    TEAM = "team", "A team"
    PERSON = "person", "A person"
    ORGANISATION = "organisation", "An organisation"


class PrizeKind(models.TextChoices):
    OVERALL = "overall", "Overall"
    THEME = "theme", "Theme"
    CHALLENGE = "challenge", "Challenge"
    SPECIAL = "special", "Special award"
    PEOPLES_CHOICE = "peoples_choice", "People's choice"
