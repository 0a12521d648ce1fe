"""Password reset by e-mail: Django's views, our Vietnamese templates.

The link in the e-mail is built from `SITE_URL`, never from the request's Host
header. The page never says whether an address is known, and one address gets
at most `PASSWORD_RESET_PER_HOUR` e-mails an hour, so the form cannot be used
to flood somebody's inbox. Accounts signed in through the directory (LDAP) have
no usable password here and get no e-mail: Django's form skips them.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.urls import path

PER_HOUR = getattr(settings, "PASSWORD_RESET_PER_HOUR", 3)


class PasswordResetForm(auth_forms.PasswordResetForm):
    def get_users(self, email):
        key = "password-reset:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()
        cache.add(key, 0, timeout=3600)
        try:
            sent = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=3600)
            sent = 1
        if sent > PER_HOUR:
            return iter(())
        return super().get_users(email)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    @property
    def extra_email_context(self):  # read when the form is sent, so settings may change
        return {"site_url": settings.SITE_URL}


urlpatterns = [
    path("quen-mat-khau/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "quen-mat-khau/da-gui/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/password_reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "dat-lai-mat-khau/xong/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
