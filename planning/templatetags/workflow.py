"""The actions panel of an assignment's page: what this user may do now.

`{% workflow_panel assignment %}` draws the evidence, extension requests and
progress notes, and the forms allowed to the user by `workflow.allowed_actions`
(menus mirror the rules; the views enforce them). Three queries whatever the
number of notes or submissions (four for a coordinator on live work: the
agencies a task can be moved to), each ordered within the one assignment
only: the models' default ordering starts with "assignment", which would join
the plan, task and agency just to sort rows that all share them.
"""

from django import template
from django.utils.html import format_html, format_html_join

from agencies import access
from agencies.models import Agency
from planning import workflow
from planning.workflow_forms import (
    AcceptForm,
    ChangeAgencyForm,
    ExtensionDecisionForm,
    MarkDoneForm,
    ProgressForm,
    ReturnForm,
    WithdrawForm,
)

register = template.Library()

NOTES_SHOWN = 20
NEWEST_FIRST = ("-created_at", "-pk")


def agency_options(assignment) -> str:
    """The <option>s of the "new lead agency" select, built in one pass.

    Django's Select widget renders each of a province's ~600 agencies through
    its option template (tens of milliseconds); the form field itself still
    validates the posted value in the change_agency view.
    """
    agencies = (
        Agency.objects.active()
        .exclude(pk=assignment.agency_id)
        .order_by("name")
        .values_list("pk", "name")
    )
    return format_html(
        '<option value="" selected>---------</option>{}',
        format_html_join("", '<option value="{}">{}</option>', agencies),
    )


@register.inclusion_tag("planning/workflow/_panel.html", takes_context=True)
def workflow_panel(context, assignment):
    user = context["request"].user
    actions = workflow.allowed_actions(user, assignment)
    submissions = list(
        assignment.submissions.select_related("submitted_by", "decided_by").order_by(*NEWEST_FIRST)
    )
    extensions = list(
        assignment.extension_requests.select_related("requested_by", "decided_by").order_by(
            *NEWEST_FIRST
        )
    )
    notes = list(
        assignment.progress_notes.select_related("author").order_by(*NEWEST_FIRST)[:NOTES_SHOWN]
    )
    pending = next((s for s in submissions if s.status == "pending"), None)
    pending_extension = next((e for e in extensions if e.status == "pending"), None)
    version = {"version": assignment.version}
    change_agency_form = ChangeAgencyForm(initial=version) if "change_agency" in actions else None
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "assignment": assignment,
        "actions": actions,
        "is_coordinator": access.is_coordinator(user),
        "submissions": submissions,
        "pending": pending,
        "extensions": extensions,
        "pending_extension": pending_extension,
        "notes": notes,
        "progress_form": ProgressForm() if "progress" in actions else None,
        "accept_form": AcceptForm(initial=version) if "accept" in actions else None,
        "return_form": ReturnForm(initial=version) if "return" in actions else None,
        "mark_done_form": MarkDoneForm(initial=version) if "mark_done" in actions else None,
        "decide_form": ExtensionDecisionForm() if "extension_decide" in actions else None,
        "withdraw_form": WithdrawForm(initial=version) if "withdraw" in actions else None,
        "change_agency_form": change_agency_form,
        "agency_options": agency_options(assignment) if change_agency_form else "",
    }
