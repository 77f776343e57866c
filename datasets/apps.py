from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    name = "datasets"
    verbose_name = "Dataset catalogue"

    def ready(self):
        from datasets import rules  # noqa: F401 — registers the catalogue's permissions
        from datasets.interop import contributions  # noqa: F401 — CKAN's error shapes
