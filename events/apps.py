from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Events"

    def ready(self):
        from events import contributions, copying, demo, landing, signals  # noqa: F401 — registers entries, receivers
