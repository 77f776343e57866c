from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = "Teams"

    def ready(self):
        from teams import contributions, copying, demo, landing, rules, signals  # noqa: F401 — registry entries, rules, receivers
