from django.db import models


class Audience(models.TextChoices):
    """Who a survey asks, in the order that decides a person's one audience: someone who
    judged and also checked in answers as a judge, and gets one invitation."""

    ORGANISERS = "organisers", "Organisers"
    JUDGES = "judges", "Judges"
    MENTORS = "mentors", "Mentors"
    VOLUNTEERS = "volunteers", "Volunteers"
    PARTICIPANTS = "participants", "Participants"


class SurveyQuestionKind(models.TextChoices):
    RATING = "rating", "Rating, 1 (poor) to 5 (excellent)"
    NET_PROMOTER = "net_promoter", "Likelihood to recommend, 0 to 10"
    SINGLE_CHOICE = "single_choice", "Single choice"
    MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
    TEXT = "text", "Free text"


CHOICE_KINDS = {SurveyQuestionKind.SINGLE_CHOICE, SurveyQuestionKind.MULTIPLE_CHOICE}
# The whole numbers each scale kind accepts.
SCALES = {SurveyQuestionKind.RATING: (1, 5), SurveyQuestionKind.NET_PROMOTER: (0, 10)}
TEXT_LIMIT = 2000
