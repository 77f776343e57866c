from django.db import models


class Phase(models.TextChoices):
    """Where an event stands, derived from its dates (never stored)."""

    DRAFT = "draft", "Draft"
    ANNOUNCED = "announced", "Announced"
    REGISTRATION_OPEN = "registration_open", "Registration open"
    REGISTRATION_CLOSED = "registration_closed", "Registration closed"
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"


class RoleKind(models.TextChoices):
    ORGANISER = "organiser", "Organiser"
    JUDGE = "judge", "Judge"
    MENTOR = "mentor", "Mentor"
    VOLUNTEER = "volunteer", "Volunteer"


class ScheduleKind(models.TextChoices):
    ARRIVAL = "arrival", "Arrival and registration"
    TALK = "talk", "Talk or conversation"
    TEAM_WORK = "team_work", "Team work"
    BREAK = "break", "Break"
    PRESENTATIONS = "presentations", "Presentations"
    JUDGING = "judging", "Judging"
    CLOSING = "closing", "Closing"
    OTHER = "other", "Other"
