"""Saving an imported row: what is missing is created, every change is recorded.

`AssignmentSavingMixin` gives `AssignmentResource` its save hooks (step 6 of
`resources.py`): the plan (when new and confirmed), section and task are created
on the first row that needs them; history events and coordinating-agency links
are queued and inserted in bulk after the last row. A dry run writes nothing.
"""

from __future__ import annotations

from agencies.models import Agency
from planning.deadlines import due_label
from planning.models import Assignment, AssignmentEvent, Section, Task
from planning.signals import announce

from .columns import IMPORT_NOTE, split_names
from .rows import ParsedRow


class AssignmentSavingMixin:
    """Save hooks of `AssignmentResource` (see `resources.py`)."""

    def save_instance(self, instance, is_create, row, **kwargs):
        """Step 6. A dry run writes nothing: the preview needs counts and messages only."""
        if kwargs.get("dry_run"):
            return
        super().save_instance(instance, is_create, row, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        parsed: ParsedRow = instance._sheet_row
        plan = parsed.plan
        if plan.pk is None:
            plan.save()
        instance.plan = plan
        if instance.pk is None:
            instance.task = self._task_for(parsed)
        elif any(c[1] == "coordination" for c in instance._sheet_changes):
            self._set_coordination(instance.task, parsed.coordination)

    def _task_for(self, parsed: ParsedRow) -> Task:
        plan = parsed.plan
        key = (plan.pk, parsed.section_code, parsed.title)
        task = self.tasks.get(key)
        if task is not None:
            return task
        section = None
        if parsed.section_code:
            section = self.sections.get((plan.pk, parsed.section_code))
            if section is None:
                order = 1 + max(
                    (s.order for (pid, _), s in self.sections.items() if pid == plan.pk),
                    default=0,
                )
                section = Section.objects.create(plan=plan, code=parsed.section_code, order=order)
                self.sections[(plan.pk, parsed.section_code)] = section
        order = 1 + sum(1 for k in self.tasks if k[0] == plan.pk)
        task = Task.objects.create(
            plan=plan,
            section=section,
            title=parsed.title,
            due_text=due_label(parsed.due_date),
            due_date=parsed.due_date,
            coordination_text=parsed.coordination,
            order=order,
        )
        # Links to coordinating agencies are inserted in bulk after the last row.
        Link = Task.coordinating_agencies.through
        self.links += [
            Link(task_id=task.pk, agency_id=agency.pk)
            for agency in {a.pk: a for a in self._resolve_all(parsed.coordination)}.values()
        ]
        task._prefetched_objects_cache = {"coordinating_agencies": []}
        self.tasks[key] = task
        return task

    def _resolve_all(self, text: str) -> list[Agency]:
        return [a for a in map(self.directory.resolve, split_names(text)) if a]

    def _set_coordination(self, task: Task, text: str) -> None:
        """Names that resolve become links; the text is kept as written."""
        agencies = self._resolve_all(text)
        task.coordination_text = text
        task.save(update_fields=["coordination_text"])
        task.coordinating_agencies.set(agencies)
        task._prefetched_objects_cache = {}

    def after_save_instance(self, instance, row, **kwargs):
        if kwargs.get("dry_run"):
            return
        for kind, field_name, old, new in instance._sheet_changes:
            self.events.append(
                AssignmentEvent(
                    assignment=instance,
                    actor=self.user,
                    kind=kind,
                    field=field_name,
                    old_value=old,
                    new_value=new,
                    note=IMPORT_NOTE,
                )
            )

    def do_instance_save(self, instance, is_create):
        instance.save(force_insert=is_create)
        if is_create:
            Kind = AssignmentEvent.Kind
            self.events.append(
                AssignmentEvent(
                    assignment=instance,
                    actor=self.user,
                    kind=Kind.CREATED,
                    new_value=instance.due_label,
                    note=IMPORT_NOTE,
                )
            )
            if instance.status != Assignment.Status.NOT_STARTED:
                self.events.append(
                    AssignmentEvent(
                        assignment=instance,
                        actor=self.user,
                        kind=Kind.STATUS,
                        field="status",
                        old_value="",
                        new_value=str(Assignment.Status(instance.status).label),
                        note=IMPORT_NOTE,
                    )
                )

    def after_import(self, dataset, result, **kwargs):
        if not kwargs.get("dry_run"):
            Task.coordinating_agencies.through.objects.bulk_create(self.links, batch_size=1000)
            announce(AssignmentEvent.objects.bulk_create(self.events, batch_size=1000))
        super().after_import(dataset, result, **kwargs)
