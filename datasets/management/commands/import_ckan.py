"""manage.py import_ckan FILE: load datasets from CKAN JSON (package_show or
package_search output, with or without CKAN's envelope) or a CSV manifest, from a file;
nothing is fetched from the network. See datasets.services.importing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.exceptions import ApplicationError
from datasets.services.importing import datasets_import


class Command(BaseCommand):
    help = (
        "Import datasets from a CKAN package_show or package_search JSON file (or a CSV "
        "manifest). All or nothing: a file with a bad dataset imports none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the JSON (or CSV manifest) file to read")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="publish new datasets at once (by default they are saved unpublished)",
        )

    def handle(self, *args, file, publish, **options):
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}.") from None
        try:
            result = datasets_import(actor=None, content=content, source=path.name, publish=publish)
        except ApplicationError as error:
            lines = [error.message]
            for dataset, problems in error.details.get("datasets", {}).items():
                lines += [f"  {dataset}: {problem}" for problem in problems]
            raise CommandError("\n".join(lines)) from None
        for warning in result.warnings:
            self.stderr.write(f"Warning: {warning}")
        self.stdout.write(
            f"{len(result.created)} created, {len(result.updated)} updated"
            + (
                f": {', '.join(result.created + result.updated)}"
                if result.created or result.updated
                else ""
            )
        )
