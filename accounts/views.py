import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.forms import AccountDeleteForm, ApiTokenForm, ProfileForm
from accounts.models import User
from accounts.privacy import personal_data_export
from accounts.selectors import api_tokens_of
from common.exceptions import ApplicationError
from common.models import EmailSuppression
from common.outbox import optional_email_resume, optional_email_stop, unsubscribe_token_user_id


@login_required
def profile(request):
    # The form writes onto its own copy, so the service sees what actually changed.
    form = ProfileForm(request.POST or None, instance=User.objects.get(pk=request.user.pk))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.profile_update(user=request.user, skills=data.pop("skills"), **data)
        messages.success(request, "Your profile is saved.")
        return redirect("account_profile")
    return _render_profile(request, form=form, token_form=ApiTokenForm())


def _render_profile(request, *, form=None, token_form, new_key=None, status=200):
    context = {
        "form": form or ProfileForm(instance=request.user),
        "token_form": token_form,
        "tokens": api_tokens_of(request.user),
        "new_key": new_key,
        "unsubscribed": EmailSuppression.objects.filter(user=request.user).exists(),
    }
    return render(request, "accounts/profile.html", context, status=status)


@never_cache  # the one response that holds a new token's key must not be kept anywhere
@login_required
@require_POST
def api_token_create(request):
    """Create a token and show its key on this response only: it is not stored."""
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            _, key = services.api_token_create(user=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return _render_profile(request, token_form=ApiTokenForm(), new_key=key)
    return _render_profile(request, token_form=form, status=400)


@login_required
@require_POST
def api_token_revoke(request, pk):
    # Another person's token, or one already expired, is not found.
    token = get_object_or_404(api_tokens_of(request.user), pk=pk)
    services.api_token_revoke(token=token, actor=request.user)
    messages.success(request, f"The token “{token.name}” is revoked: it no longer works.")
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


@login_required
@require_POST
def optional_email(request):
    """The profile's switch for surveys and organisers' messages."""
    if request.POST.get("optional_email") == "on":
        optional_email_resume(user=request.user)
        messages.success(request, "You will get surveys and organisers' messages again.")
    else:
        optional_email_stop(user=request.user)
        messages.success(request, "You will no longer get surveys or organisers' messages.")
    return redirect("account_profile")


# Mail programs post RFC 8058's one-click unsubscribe with no CSRF token; the signed
# token in the address is what says whose mail stops, and it can only stop or resume it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def email_unsubscribe(request, token):
    """The link in every optional email: asks first (a link scanner's GET changes
    nothing), stops on POST, and offers to undo."""
    user_id = unsubscribe_token_user_id(token)
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        return render(request, "accounts/unsubscribe_invalid.html", status=404)
    if request.method == "POST":
        if request.POST.get("resume") == "yes":
            optional_email_resume(user=user)
        else:
            optional_email_stop(user=user)
    unsubscribed = EmailSuppression.objects.filter(user=user).exists()
    return render(
        request, "accounts/unsubscribe.html", {"unsubscribed": unsubscribed, "token": token}
    )
