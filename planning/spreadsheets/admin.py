"""django-import-export in the admin, for superusers only, always all-or-nothing.

The admin's two-step import (preview, then confirm) does not pass
rollback_on_validation_errors on the confirm step: without it a row with a
validation error is skipped and the other rows commit. `get_import_data_kwargs`
adds it to both steps. Coordinators use the app's own pages instead
(planning.spreadsheets.views), which also read Windows-1258 and refuse formulas.
"""

from __future__ import annotations

from import_export.admin import ImportExportMixin

from .resources import AgencyResource, AssignmentResource


class SuperuserImportExportMixin(ImportExportMixin):
    def has_import_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_export_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs.setdefault("use_transactions", True)
        kwargs.setdefault("rollback_on_validation_errors", True)
        return kwargs


class AssignmentImportExportMixin(SuperuserImportExportMixin):
    resource_classes = [AssignmentResource]

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {}

    def get_export_queryset(self, request):
        return AssignmentResource.export_queryset(super().get_export_queryset(request))


class AgencyImportExportMixin(SuperuserImportExportMixin):
    resource_classes = [AgencyResource]
