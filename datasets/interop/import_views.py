"""The catalogue editors' import page: a CKAN JSON file or a CSV manifest in, a summary
out (datasets.services.importing does the work)."""

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from common.exceptions import ApplicationError
from common.files import display_filename, refused_uploads, upload_cap_message
from datasets.interop.import_formats import MANIFEST_COLUMNS, MANIFEST_REQUIRED
from datasets.services.importing import datasets_import

# JSON is read whole into memory; a larger catalogue is imported in parts.
IMPORT_MAX_BYTES = 20 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label="File to import",
        help_text="CKAN JSON (package_show or package_search output) or a CSV manifest.",
    )
    publish = forms.BooleanField(
        required=False,
        label="Publish new datasets at once",
        help_text="Otherwise new datasets are saved unpublished, for you to check first. "
        "Datasets already in the catalogue keep their state.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {IMPORT_MAX_BYTES // (1024 * 1024)} MB; "
                "import the catalogue in parts."
            )
        return upload


@login_required
def catalogue_import(request):
    if not rules.has_perm("datasets.import_datasets", request.user):
        raise PermissionDenied
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    problems = {}
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = datasets_import(
                actor=request.user,
                content=upload.read(),
                source=display_filename(upload.name),
                publish=form.cleaned_data["publish"],
            )
        except ApplicationError as error:
            form.add_error("file", error.message)
            problems = error.details.get("datasets", {})
        else:
            messages.success(
                request,
                f"Imported: {len(result.created)} created, {len(result.updated)} updated.",
            )
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("datasets:catalogue_import")
    if "file" in refused_uploads(request):
        form.errors["file"] = form.error_class([upload_cap_message()])
    context = {
        "form": form,
        "problems": problems,
        "columns": MANIFEST_COLUMNS.items(),
        "required": MANIFEST_REQUIRED,
    }
    return render(request, "datasets/interop/import.html", context)
