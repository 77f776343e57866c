from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "registration"
    verbose_name = "Registration"

    def ready(self):
        from registration import contributions, copying, demo, landing, signals  # noqa: F401 — registry entries, receivers
