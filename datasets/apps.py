from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    name = "datasets"
    verbose_name = "Dataset catalogue"

    def ready(self):
        from datasets import (  # noqa: F401 — registers permissions, registry entries, demo
            contributions,
            copying,
            demo,
            rules,
        )
        from datasets.interop import contributions as interop  # noqa: F401 — CKAN's errors
