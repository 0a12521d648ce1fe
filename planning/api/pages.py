"""The coordinators' page for API tokens: who holds one, last use, make, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from agencies import access

from .forms import TokenForm
from .models import ApiToken
from .tokens import create_token, revoke_token


def _coordinator_only(request) -> None:
    if not access.is_coordinator(request.user):
        raise Http404


@never_cache
@login_required
def token_list(request):
    _coordinator_only(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, key = create_token(
            name=form.cleaned_data["name"],
            agency=form.cleaned_data["agency"],
            can_write=form.cleaned_data["can_write"],
            actor=request.user,
        )
        # Shown once, on this response only: never stored, never put in a message.
        return render(request, "planning/api/token_created.html", {"token": token, "key": key})
    tokens = ApiToken.objects.select_related("agency", "created_by").order_by("revoked_at", "name")
    return render(request, "planning/api/tokens.html", {"tokens": tokens, "form": form})


@login_required
def token_revoke(request, pk):
    _coordinator_only(request)
    token = get_object_or_404(ApiToken, pk=pk, revoked_at__isnull=True)
    if request.method != "POST":
        return render(request, "planning/api/token_revoke.html", {"token": token})
    revoke_token(token=token)
    messages.success(request, f"Đã thu hồi mã truy cập của “{token.name}”.")
    return redirect("api_tokens:list")
