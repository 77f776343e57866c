from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.enums import ParticipantType


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class Skill(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class User(AbstractBaseUser, PermissionsMixin):
    """A person, who signs in with their email. The profile fields live here too."""

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=100, blank=True)
    organisation = models.CharField(max_length=150, blank=True)
    participant_type = models.CharField(max_length=30, choices=ParticipantType.choices, blank=True)
    skills = models.ManyToManyField(Skill, blank=True, related_name="users")
    bio = models.TextField("short bio", max_length=1000, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self):
        # Never the email address: this is how others see the person (teammates, the
        # board, join requests); organisers see addresses only where they show them.
        return self.display_name or f"Participant #{self.pk}"

    def get_full_name(self):
        return str(self)

    def get_short_name(self):
        return str(self)


class ApiToken(models.Model):
    """The name a person gave one of their API tokens (knox's AuthToken has none).

    The token itself is knox's: only its digest is stored; deleting it revokes it, and
    this row goes with it.
    """

    auth_token = models.OneToOneField(
        "knox.AuthToken", on_delete=models.CASCADE, related_name="details"
    )
    name = models.CharField(max_length=100)

    class Meta:
        verbose_name = "API token"

    def __str__(self):
        return self.name
