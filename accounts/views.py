import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from accounts import services
from accounts.forms import AccountDeleteForm, ProfileForm
from accounts.models import User
from accounts.privacy import personal_data_export
from common.exceptions import ApplicationError


@login_required
def profile(request):
    # The form writes onto its own copy, so the service sees what actually changed.
    form = ProfileForm(request.POST or None, instance=User.objects.get(pk=request.user.pk))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.profile_update(user=request.user, skills=data.pop("skills"), **data)
        messages.success(request, "Your profile is saved.")
        return redirect("account_profile")
    token = Token.objects.filter(user=request.user).first()
    return render(request, "accounts/profile.html", {"form": form, "token": token})


@login_required
@require_POST
def api_token_regenerate(request):
    Token.objects.filter(user=request.user).delete()
    Token.objects.create(user=request.user)
    messages.success(request, "A new API token was created; the old one no longer works.")
    return redirect("account_profile")


@login_required
def data_export(request):
    data = personal_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2), content_type="application/json"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="civichack-my-data-{stamp}.json"'
    return response


@login_required
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_delete(user=request.user)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            logout(request)
            messages.success(request, "Your account and personal data have been deleted.")
            return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})
