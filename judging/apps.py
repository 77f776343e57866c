from django.apps import AppConfig


class JudgingConfig(AppConfig):
    name = "judging"
    verbose_name = "Judging"

    def ready(self):
        from judging import contributions, privacy, signals  # noqa: F401 — each registers itself
