"""The API's endpoints: thin, like the pages' views.

Each one fetches through the access rules (`planning.access`, what the token's
service account may see; 404 for the rest), calls a query or a workflow
function, and serialises. Filters are read by `_filters`, the same for every
list, with Vietnamese messages for bad values.
"""

from __future__ import annotations

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from agencies.models import Agency

from ..access import readable_assignments, visible_plans
from ..models import Assignment, Plan, Section, Task
from ..querysets import Rollup, q_done, q_done_late, q_done_on_time, q_ongoing, q_overdue
from ..reports.statistics import ReportFilters, assignments_for, period_range, report_aggregates
from ..workflow import services as workflow
from ..workflow.forms import CompletionForm
from . import schema, serializers  # noqa: F401  (schema: the auth scheme for the docs)
from .errors import ApiError
from .idempotency import idempotent

STATES = {
    "done": q_done,
    "done_on_time": q_done_on_time,
    "done_late": q_done_late,
    "overdue": q_overdue,
    "ongoing": q_ongoing,
}

AS_OF = OpenApiParameter(
    "as_of", OpenApiTypes.DATE, description="Ngày tính số liệu (YYYY-MM-DD), mặc định hôm nay."
)
AGENCY = OpenApiParameter("agency", str, description="Mã cơ quan chủ trì, ví dụ STP.")
PLAN = OpenApiParameter("plan", int, description="Mã số kế hoạch (id).")
IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    str,
    location=OpenApiParameter.HEADER,
    description="Gửi lại cùng khóa thì nhận lại câu trả lời lần đầu, không ghi hai lần.",
)


def _as_of(request) -> date:
    value = request.query_params.get("as_of", "")
    if not value:
        return timezone.localdate()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError({"as_of": ["Ngày không hợp lệ; dùng dạng YYYY-MM-DD."]}) from None


def _agency(request) -> Agency | None:
    code = request.query_params.get("agency", "").strip()
    if not code:
        return None
    agency = Agency.objects.filter(code__iexact=code).first()
    if agency is None:
        raise ValidationError({"agency": [f"Không có cơ quan mã “{code}”."]})
    return agency


def _int(request, name: str) -> int | None:
    value = request.query_params.get(name, "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise ValidationError({name: ["Phải là một số nguyên."]}) from None


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    """The agency registry: codes and names, as the lists and filters use them."""

    serializer_class = serializers.AgencySerializer
    lookup_field = "code"
    queryset = Agency.objects.active().select_related("parent").order_by("kind", "name")


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Plans the token may see; `?year=` and `?status=` filter."""

    serializer_class = serializers.PlanSerializer
    queryset = Plan.objects.none()  # for the schema; the real one is per request

    def get_queryset(self):
        plans = visible_plans(self.request.user).defer("source_text").order_by("-year", "number")
        if (year := _int(self.request, "year")) is not None:
            plans = plans.filter(year=year)
        if value := self.request.query_params.get("status"):
            plans = plans.filter(status=value)
        return plans

    @extend_schema(parameters=[AS_OF, AGENCY], responses=serializers.RollupSerializer)
    @action(detail=True, methods=["get"])
    def rollup(self, request, pk=None):
        """The dashboard's figures for the plan (and one agency) as of a date."""
        plan = self.get_object()
        as_of, agency = _as_of(request), _agency(request)
        filters = ReportFilters(as_of=as_of, plan=plan, agency=agency)
        rollup = Rollup.from_row(
            assignments_for(request.user, filters).aggregate(**report_aggregates(as_of))
        )
        data = {
            "plan": plan.pk,
            "agency": agency.code if agency else None,
            "as_of": as_of,
            "total": rollup.total,
            "done": rollup.done,
            "done_on_time": rollup.done_on_time,
            "done_late": rollup.done_late,
            "open_not_due": rollup.open_not_due,
            "overdue": rollup.open_overdue,
            "ongoing": rollup.ongoing,
            "extended": rollup.extended,
            "ratio": rollup.ratio,
            "ratio_label": rollup.ratio_display,
            "on_time_ratio": rollup.on_time_ratio,
            "on_time_ratio_label": rollup.on_time_ratio_display,
            "fallen_due": rollup.fallen_due,
            "due_done": rollup.due_done,
            "due_done_on_time": rollup.due_done_on_time,
            "due_done_late": rollup.done_late,
            "due_later": rollup.due_later,
            "due_ratio": rollup.due_ratio,
            "due_ratio_label": rollup.due_ratio_display,
        }
        return Response(serializers.RollupSerializer(data).data)


class SectionViewSet(viewsets.ReadOnlyModelViewSet):
    """Sections of the plans the token may see; `?plan=` filters."""

    serializer_class = serializers.SectionSerializer
    queryset = Section.objects.none()

    def get_queryset(self):
        sections = Section.objects.filter(plan__in=visible_plans(self.request.user))
        if (plan := _int(self.request, "plan")) is not None:
            sections = sections.filter(plan_id=plan)
        return sections.order_by("plan_id", "order", "code")


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    """Tasks with at least one assignment the token may read; `?plan=` filters."""

    serializer_class = serializers.TaskSerializer
    queryset = Task.objects.none()

    def get_queryset(self):
        readable = readable_assignments(self.request.user)
        tasks = Task.objects.filter(pk__in=readable.values("task_id"))
        if (plan := _int(self.request, "plan")) is not None:
            tasks = tasks.filter(plan_id=plan)
        return (
            tasks.select_related("section")
            .prefetch_related("coordinating_agencies")
            .order_by("plan_id", "order", "pk")
        )


@extend_schema(
    parameters=[
        PLAN,
        AGENCY,
        OpenApiParameter("status", str, enum=Assignment.Status.values),
        OpenApiParameter("due", str, description="Tháng (YYYY-MM) hoặc quý (YYYY-qN) của hạn."),
        OpenApiParameter("state", str, enum=list(STATES), description="Tình trạng tính đến as_of."),
        AS_OF,
    ]
)
class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Assignments (one task for one lead agency) the token may read."""

    serializer_class = serializers.AssignmentSerializer
    queryset = Assignment.objects.none()

    def get_queryset(self):
        request = self.request
        queryset = readable_assignments(request.user)
        queryset = queryset.select_related("agency", "task", "task__section")
        if self.action != "list":
            return queryset
        if (plan := _int(request, "plan")) is not None:
            queryset = queryset.filter(plan_id=plan)
        if (agency := _agency(request)) is not None:
            queryset = queryset.filter(agency=agency)
        if value := request.query_params.get("status"):
            if value not in Assignment.Status.values:
                raise ValidationError({"status": ["Trạng thái không hợp lệ."]})
            queryset = queryset.filter(status=value)
        if value := request.query_params.get("due"):
            bounds = period_range(value)
            if bounds is None:
                raise ValidationError({"due": ["Dùng dạng YYYY-MM hoặc YYYY-qN."]})
            queryset = queryset.filter(due_date__gte=bounds[0], due_date__lte=bounds[1])
        if value := request.query_params.get("state"):
            if value not in STATES:
                raise ValidationError({"state": ["Tình trạng không hợp lệ."]})
            queryset = queryset.filter(STATES[value](_as_of(request)))
        return queryset.order_by("plan_id", "task__order", "task_id", "agency__name", "pk")

    @extend_schema(responses=serializers.EventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """Every change of the assignment, oldest first."""
        assignment = self.get_object()
        events = assignment.events.select_related("actor").order_by("created_at", "pk")
        page = self.paginate_queryset(events)
        data = serializers.EventSerializer(page, many=True).data
        return self.get_paginated_response(data)

    def _writable(self, request, pk) -> Assignment:
        assignment = get_object_or_404(self.get_queryset(), pk=pk)
        if not workflow.is_lead_officer(request.user, assignment):
            raise ApiError(
                "Chỉ cơ quan chủ trì được báo cáo về nhiệm vụ này.",
                code="not_lead_agency",
                status=403,
            )
        return assignment

    @extend_schema(
        request=serializers.ProgressInputSerializer,
        responses={201: serializers.AssignmentSerializer},
        parameters=[IDEMPOTENCY],
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def progress(self, request, pk=None):
        """Report progress (the agency's system, as the agency's officers do on the page)."""
        assignment = self._writable(request, pk)
        data = serializers.ProgressInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            workflow.report_progress(
                assignment=assignment, actor=request.user, note=data.validated_data["note"]
            )
        except workflow.WorkflowError as error:
            raise ApiError(error.message, code="workflow", status=409) from None
        assignment.refresh_from_db()
        return Response(
            serializers.AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request={"multipart/form-data": serializers.CompletionInputSerializer},
        responses={201: serializers.AssignmentSerializer},
        parameters=[IDEMPOTENCY],
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def completion(self, request, pk=None):
        """Submit completion with its evidence document (and file), for review."""
        assignment = self._writable(request, pk)
        serializers.CompletionInputSerializer(data=request.data).is_valid(raise_exception=True)
        form_data = {
            key: request.data.get(key, "")
            for key in ("completed_on", "document_number", "document_date", "note")
        }
        form_data["version"] = assignment.version
        form = CompletionForm(form_data, request.FILES, assignment=assignment)
        if not form.is_valid():
            raise ValidationError({k: [str(m) for m in v] for k, v in form.errors.items()})
        try:
            form.submit(actor=request.user)
        except workflow.WorkflowError as error:
            raise ApiError(error.message, code="workflow", status=409) from None
        assignment.refresh_from_db()
        return Response(
            serializers.AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED
        )
