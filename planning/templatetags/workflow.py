"""The actions panel of an assignment's page: what this user may do now.

`{% workflow_panel record %}` draws the evidence, extension requests and
progress notes of an `AssignmentRecord` (planning/records.py: read once, from
the shared cache while the data are unchanged), and the forms allowed to the
user by `workflow.allowed_actions` (menus mirror the rules; the views enforce
them). No query of its own: a coordinator's "new lead agency" options come
from the cache too.
"""

from django import template
from django.utils.html import format_html, format_html_join

from agencies import access
from agencies.models import Agency
from config.caching.generation import cached_figures, figures_key
from planning.workflow import services as workflow
from planning.workflow.forms import (
    AcceptForm,
    ChangeAgencyForm,
    ExtensionDecisionForm,
    MarkDoneForm,
    ProgressForm,
    ReplyForm,
    ReturnForm,
    WithdrawForm,
)

register = template.Library()


def agency_options(assignment) -> str:
    """The <option>s of the "new lead agency" select, built in one pass.

    Django's Select widget renders each of a province's ~600 agencies through
    its option template (tens of milliseconds); the form field itself still
    validates the posted value in the change_agency view. The active agencies
    are shared through the cache under the data generation.
    """
    agencies = cached_figures(
        figures_key("active-agencies"),
        lambda: list(Agency.objects.active().order_by("name").values_list("pk", "name")),
    )
    return format_html(
        '<option value="" selected>---------</option>{}',
        format_html_join(
            "",
            '<option value="{}">{}</option>',
            ((pk, name) for pk, name in agencies if pk != assignment.agency_id),
        ),
    )


@register.inclusion_tag("planning/workflow/_panel.html", takes_context=True)
def workflow_panel(context, record):
    user = context["request"].user
    assignment = record.assignment
    actions = workflow.allowed_actions(user, assignment)
    version = {"version": assignment.version}
    change_agency_form = ChangeAgencyForm(initial=version) if "change_agency" in actions else None
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "assignment": assignment,
        "actions": actions,
        "is_coordinator": access.is_coordinator(user),
        "submissions": record.submissions,
        "pending": record.pending_submission,
        "extensions": record.extensions,
        "pending_extension": record.pending_extension,
        "notes": [(n, record.thread(n)) for n in record.notes],
        "returns": [(s, record.thread(s)) for s in record.submissions if s.status == "returned"],
        "may_reply": "reply" in actions,
        "reply_form": ReplyForm() if "reply" in actions else None,
        "progress_form": ProgressForm() if "progress" in actions else None,
        "accept_form": AcceptForm(initial=version) if "accept" in actions else None,
        "return_form": ReturnForm(initial=version) if "return" in actions else None,
        "mark_done_form": (
            MarkDoneForm(initial=version, assignment=assignment) if "mark_done" in actions else None
        ),
        "decide_form": ExtensionDecisionForm() if "extension_decide" in actions else None,
        "withdraw_form": WithdrawForm(initial=version) if "withdraw" in actions else None,
        "change_agency_form": change_agency_form,
        "agency_options": agency_options(assignment) if change_agency_form else "",
    }
