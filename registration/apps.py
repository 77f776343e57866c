from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "registration"
    verbose_name = "Registration"

    def ready(self):
        from registration import contributions, signals  # noqa: F401 — registers entries, receivers
