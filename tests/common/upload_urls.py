"""A view that reports what the upload handlers kept, for tests of common.files."""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from common.files import refused_uploads


@csrf_exempt
def receive(request):
    return JsonResponse(
        {
            "files": {name: upload.size for name, upload in request.FILES.items()},
            "fields": dict(request.POST.items()),
            "refused": sorted(refused_uploads(request)),
        }
    )


urlpatterns = [path("upload/", receive, name="upload")]
