"""Catalogue editors' pages for a dataset's resources: upload, link, edit, replace, delete."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect

from common.views import act_and_report, apply_form, confirm_page, is_confirmed, upload_form
from datasets.forms import (
    ResourceEditForm,
    ResourceLinkForm,
    ResourceReplaceForm,
    ResourceUploadForm,
)
from datasets.models import Resource
from datasets.services import resources
from datasets.views.editor import dataset_or_404, dataset_url, editor_only, form_page


def _resource(dataset, pk) -> Resource:
    return get_object_or_404(Resource, pk=pk, dataset=dataset)


@editor_only("datasets.change_dataset")
def resource_upload(request, slug):
    dataset = dataset_or_404(slug)
    form = upload_form(ResourceUploadForm, request)
    if request.method == "POST" and apply_form(
        form,
        lambda: resources.resource_create_upload(
            actor=request.user,
            dataset=dataset,
            uploaded_file=form.cleaned_data["file"],
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
        ),
    ):
        messages.success(request, "File uploaded; tabular files are profiled in a moment.")
        return redirect(dataset_url(dataset))
    return form_page(
        request,
        form,
        title="Upload a file",
        button="Upload",
        back=dataset_url(dataset),
        caption=dataset.title,
        dataset=dataset,
        multipart=True,
    )


@editor_only("datasets.change_dataset")
def resource_link(request, slug):
    dataset = dataset_or_404(slug)
    form = ResourceLinkForm(request.POST or None)
    if request.method == "POST" and apply_form(
        form,
        lambda: resources.resource_create_link(
            actor=request.user, dataset=dataset, **form.cleaned_data
        ),
    ):
        messages.success(request, "Link added.")
        return redirect(dataset_url(dataset))
    return form_page(
        request,
        form,
        title="Add a link to data held elsewhere",
        button="Add link",
        back=dataset_url(dataset),
        caption=dataset.title,
        dataset=dataset,
    )


@editor_only("datasets.change_dataset")
def resource_edit(request, slug, pk):
    dataset = dataset_or_404(slug)
    resource = _resource(dataset, pk)
    form = ResourceEditForm(request.POST or None, resource=resource)
    if request.method == "POST" and apply_form(
        form,
        lambda: resources.resource_update(
            actor=request.user, resource=resource, **form.cleaned_data
        ),
    ):
        messages.success(request, f"“{resource}” saved.")
        return redirect(dataset_url(dataset))
    return form_page(
        request,
        form,
        title=f"Edit “{resource}”",
        button="Save",
        back=dataset_url(dataset),
        caption=dataset.title,
        dataset=dataset,
    )


@editor_only("datasets.change_dataset")
def resource_replace(request, slug, pk):
    dataset = dataset_or_404(slug)
    resource = _resource(dataset, pk)
    form = upload_form(ResourceReplaceForm, request)
    if request.method == "POST" and apply_form(
        form,
        lambda: resources.resource_replace_file(
            actor=request.user, resource=resource, uploaded_file=form.cleaned_data["file"]
        ),
    ):
        messages.success(request, f"“{resource}” has its new file; it is profiled again.")
        return redirect(dataset_url(dataset))
    return form_page(
        request,
        form,
        title=f"Replace the file of “{resource}”",
        button="Upload new file",
        back=dataset_url(dataset),
        caption=dataset.title,
        dataset=dataset,
        multipart=True,
        lines=("The old file is deleted once the new one is stored.",),
    )


@editor_only("datasets.change_dataset")
def resource_delete(request, slug, pk):
    dataset = dataset_or_404(slug)
    resource = _resource(dataset, pk)
    back = dataset_url(dataset)
    if not is_confirmed(request):
        return confirm_page(
            request,
            title=f"Delete “{resource}”?",
            lines=(
                f"It is removed from “{dataset}” with its file and profile; this cannot be undone.",
            ),
            button="Yes, delete it",
            back=back,
        )
    act_and_report(
        request,
        lambda: resources.resource_delete(actor=request.user, resource=resource),
        done=f"“{resource}” is deleted.",
    )
    return redirect(back)
