from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = "Teams"

    def ready(self):
        from teams import contributions, demo, landing, rules, signals  # noqa: F401 — registry entries, rules, receivers
