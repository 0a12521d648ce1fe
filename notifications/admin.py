from django.contrib import admin

from .models import Delivery, Notification, ReminderPolicy


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    """One policy row; coordinators edit the defaults (7 and 1 days before, …)."""

    list_display = ["__str__", "before_days", "overdue_every_days", "escalate_after", "updated_at"]

    def has_add_permission(self, request):
        return not ReminderPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class DeliveryInline(admin.TabularInline):
    """Each recipient's copy, as the mail server answered; written by the sweep only."""

    model = Delivery
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    inlines = [DeliveryInline]
    list_display = ["created_at", "kind", "agency", "period", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipients", "subject", "scope", "period"]
    list_select_related = ["agency"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False
