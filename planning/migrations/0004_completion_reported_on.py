"""Keep the day a completion was reported beside the completion date.

Existing done assignments get the best day the data hold: the filing day of the
accepted completion report; else the day the history recorded the change to
"Hoàn thành" (a coordinator's direct confirmation, a spreadsheet import); else
the completion date itself, so an old row is never flagged "báo cáo sau hạn"
without evidence.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce, TruncDate


def fill_reported_on(apps, schema_editor):
    Assignment = apps.get_model("planning", "Assignment")
    CompletionSubmission = apps.get_model("planning", "CompletionSubmission")
    AssignmentEvent = apps.get_model("planning", "AssignmentEvent")
    accepted = (
        CompletionSubmission.objects.filter(assignment=OuterRef("pk"), status="accepted")
        .order_by("-created_at", "-pk")
        .annotate(day=TruncDate("created_at"))
        .values("day")[:1]
    )
    recorded = (
        AssignmentEvent.objects.filter(
            assignment=OuterRef("pk"),
            kind__in=["accepted", "status", "imported"],
            new_value__startswith="Hoàn thành",
        )
        .order_by("-created_at", "-pk")
        .annotate(day=TruncDate("created_at"))
        .values("day")[:1]
    )
    Assignment.objects.filter(status="done", completion_reported_on__isnull=True).update(
        completion_reported_on=Coalesce(
            Subquery(accepted, output_field=models.DateField()),
            Subquery(recorded, output_field=models.DateField()),
            "completed_on",
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0003_api_tokens"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="completion_reported_on",
            field=models.DateField(
                blank=True,
                help_text=(
                    "Ngày hoàn thành được báo cáo hoặc ghi nhận; có thể muộn hơn ngày hoàn thành."
                ),
                null=True,
                verbose_name="ngày báo cáo hoàn thành",
            ),
        ),
        migrations.RunPython(fill_reported_on, migrations.RunPython.noop),
    ]
