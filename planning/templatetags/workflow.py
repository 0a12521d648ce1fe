"""The actions panel of an assignment's page: what this user may do now.

`{% workflow_panel assignment %}` draws the evidence, extension requests and
progress notes, and the forms allowed to the user by `workflow.allowed_actions`
(menus mirror the rules; the views enforce them). Four queries, whatever the
number of notes or submissions.
"""

from django import template

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


@register.inclusion_tag("planning/workflow/_panel.html", takes_context=True)
def workflow_panel(context, assignment):
    user = context["request"].user
    actions = workflow.allowed_actions(user, assignment)
    submissions = list(assignment.submissions.select_related("submitted_by", "decided_by"))
    extensions = list(assignment.extension_requests.select_related("requested_by", "decided_by"))
    notes = list(assignment.progress_notes.select_related("author")[:NOTES_SHOWN])
    pending = next((s for s in submissions if s.status == "pending"), None)
    pending_extension = next((e for e in extensions if e.status == "pending"), None)
    version = {"version": assignment.version}
    change_agency_form = None
    if "change_agency" in actions:
        change_agency_form = ChangeAgencyForm(initial=version)
        change_agency_form.fields["agency"].queryset = (
            Agency.objects.active().exclude(pk=assignment.agency_id).order_by("name")
        )
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
    }
