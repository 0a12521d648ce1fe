"""Agency pages: the list (for those who see everything) and one agency's work."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeView
from django.contrib.messages.views import SuccessMessageMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from planning.models import Assignment

from . import access
from .forms import AccountForm
from .models import Agency


@login_required
def agency_list(request):
    if not access.sees_everything(request.user):
        raise Http404
    today = timezone.localdate()
    rollups = {
        r.key["agency_id"]: r for r in Assignment.objects.rollup_by("agency_id", today=today)
    }
    agencies = Agency.objects.active().order_by("kind", "name")
    page = Paginator(agencies, 50).get_page(request.GET.get("page"))
    rows = [(agency, rollups.get(agency.pk)) for agency in page]
    return render(request, "agencies/agency_list.html", {"page": page, "rows": rows})


@login_required
def agency_detail(request, code):
    agency = get_object_or_404(Agency, code=code)
    if not access.can_view_agency(request.user, agency):
        raise Http404
    today = timezone.localdate()
    assignments = Assignment.objects.filter(agency=agency).exclude(
        status=Assignment.Status.WITHDRAWN
    )
    listed = assignments.select_related("task", "task__section", "plan").order_by(
        "due_date", "plan__number", "task__order"
    )
    page = Paginator(listed, 50).get_page(request.GET.get("page"))
    context = {
        "agency": agency,
        "today": today,
        "total": assignments.rollup(today),
        "by_plan": [
            {
                "name": f"Kế hoạch {r.key['plan__number']}",
                "url": reverse("planning:plan_detail", args=[r.key["plan_id"]]),
                "rollup": r,
            }
            for r in assignments.rollup_by("plan__number", "plan_id", today=today)
        ],
        "page": page,
    }
    return render(request, "agencies/agency_detail.html", context)


@login_required
def account(request):
    """The user's own settings: where reminders go, digest-only, the password."""
    membership = access.membership_of(request.user)
    initial = {
        "email": request.user.email,
        "digest_only": membership.digest_only if membership else False,
    }
    form = AccountForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.save(membership)
        messages.success(request, "Đã lưu cài đặt tài khoản.")
        return redirect("agencies:account")
    return render(request, "agencies/account.html", {"form": form, "membership": membership})


class PasswordChange(SuccessMessageMixin, PasswordChangeView):
    """Django's password change (validators, session kept), back to the account page."""

    success_url = reverse_lazy("agencies:account")
    success_message = "Đã đổi mật khẩu."
