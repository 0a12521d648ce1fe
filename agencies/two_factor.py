"""Two-factor sign-in for coordinators (TOTP), when a deployment turns it on.

Coordinators can change every plan and decide every report, so a stolen
password alone should not be enough. With `TWO_FACTOR_COORDINATORS=true`:

1. after the password, a coordinator's session is "not verified"
   (django-otp's `OTPMiddleware` tells); `RequireTwoFactorMiddleware` then sends
   every page to the verification page, or to the set-up page when the
   coordinator has no confirmed authenticator yet;
2. set-up shows a new secret as a QR code (and as text) for an authenticator
   app, and keeps it only once a code from the app is confirmed;
3. a code is accepted once (django-otp remembers the last time step used), so
   a code seen over a shoulder cannot be replayed.

Officers and leaders are never asked. The API (token calls, no session), the
login and logout pages, static files and health checks are never redirected.
A coordinator who lost the phone: a superuser deletes the device in the admin
("TOTP devices"), and the next sign-in sets up a new one.
"""

from __future__ import annotations

import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import access

EXEMPT_PREFIXES = ("/dang-nhap/", "/dang-xuat/", "/xac-thuc/", "/static/", "/api/", "/healthz")


def required_for(user) -> bool:
    return bool(getattr(settings, "TWO_FACTOR_COORDINATORS", False)) and access.is_coordinator(user)


class RequireTwoFactorMiddleware:
    """After `OTPMiddleware`: an unverified coordinator reaches only the 2FA pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and required_for(user)
            and not user.is_verified()
        ):
            confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            target = "agencies:two_factor_verify" if confirmed else "agencies:two_factor_setup"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.RegexField(
        label="Mã xác thực 6 chữ số",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "Mã gồm đúng 6 chữ số."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, device: TOTPDevice, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        allowed, why = self.device.verify_is_allowed()
        if not allowed and why.get("locked_until"):
            # django-otp doubles the wait after each wrong code (1 s, 2 s, 4 s …).
            until = timezone.localtime(why["locked_until"])
            raise forms.ValidationError(
                f"Đã nhập sai {why.get('failure_count', 1)} lần; "
                f"vui lòng thử lại sau {until:%H:%M:%S}."
            )
        if not self.device.verify_token(code):
            raise forms.ValidationError(
                "Mã không đúng hoặc đã dùng; kiểm tra giờ trên điện thoại rồi nhập mã mới."
            )
        return code


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("home")


def _qr_svg(device: TOTPDevice) -> str:
    import segno

    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(buffer, kind="svg", scale=4, xmldecl=False)
    return buffer.getvalue().decode()


@login_required
def setup(request):
    if not required_for(request.user):
        return redirect("home")
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(f"{reverse('agencies:two_factor_verify')}?next={_next(request)}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, name="Ứng dụng xác thực", confirmed=False
        )
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        messages.success(request, "Đã bật xác thực hai lớp cho tài khoản.")
        return redirect(_next(request))
    secret = device.config_url.split("secret=")[1].split("&")[0]
    context = {"form": form, "qr": _qr_svg(device), "secret": secret, "next": _next(request)}
    return render(request, "agencies/two_factor_setup.html", context)


@login_required
def verify(request):
    if not required_for(request.user) or request.user.is_verified():
        return redirect(_next(request))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect(f"{reverse('agencies:two_factor_setup')}?next={_next(request)}")
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_next(request))
    return render(
        request, "agencies/two_factor_verify.html", {"form": form, "next": _next(request)}
    )
