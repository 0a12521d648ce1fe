"""The account page: where a user's reminders go, digest-only, the password."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeView
from django.contrib.messages.views import SuccessMessageMixin
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from . import access, throttle
from .forms import AccountForm


@login_required
def account(request):
    """The user's own settings: where reminders go, digest-only, the password."""
    membership = access.membership_of(request.user)
    initial = {
        "email": request.user.email,
        "digest_only": membership.digest_only if membership else False,
        "email_notices": membership.email_notices if membership else False,
    }
    form = AccountForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.save(membership)
        messages.success(request, "Đã lưu cài đặt tài khoản.")
        return redirect("agencies:account")
    return render(request, "agencies/account.html", {"form": form, "membership": membership})


class PasswordChange(SuccessMessageMixin, PasswordChangeView):
    """Django's password change (validators, session kept), back to the account page.

    A wrong current password is a failed sign-in of the account for the
    throttle (agencies/throttle.py): a borrowed session cannot guess it here.
    """

    success_url = reverse_lazy("agencies:account")
    success_message = "Đã đổi mật khẩu."

    def post(self, request, *args, **kwargs):
        return throttle.check_password_change(request) or super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            locked = throttle.password_change_failed(self.request)
            if locked is not None:
                return locked
        return super().form_invalid(form)
