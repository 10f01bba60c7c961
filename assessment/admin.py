from django.contrib import admin

from assessment.models import (
    AccessRequest,
    Adviser,
    Assessment,
    AuditEvent,
    Coordinator,
    Municipality,
    QuestionBank,
)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "county_name", "population", "official_language_form"]
    list_filter = ["county_name", "official_language_form"]
    search_fields = ["number", "name", "sami_name"]


@admin.register(Coordinator)
class CoordinatorAdmin(admin.ModelAdmin):
    list_display = ["user", "municipality", "created_at"]
    autocomplete_fields = ["municipality"]


@admin.register(QuestionBank)
class QuestionBankAdmin(admin.ModelAdmin):
    list_display = ["version", "status", "published_at"]
    readonly_fields = ["definition", "content_hash"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["municipality", "period", "round", "status", "created_at"]
    list_filter = ["status", "round"]
    # Closing freezes the figures once (assessment/privacy.py); reopening, re-closing or
    # sharing here would bypass that and the municipality's consent.
    readonly_fields = [
        "municipality",
        "bank",
        "status",
        "closed_at",
        "shared_with_advisers",
        "shared_at",
        "created_by",
    ]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Adviser)
class AdviserAdmin(admin.ModelAdmin):
    """Staff create adviser accounts here: county numbers (e.g. ["18"]) or national scope."""

    list_display = ["user", "organisation", "national", "counties"]
    list_filter = ["national"]
    search_fields = ["user__username", "user__email", "organisation"]


@admin.register(AccessRequest)
class AccessRequestAdmin(admin.ModelAdmin):
    """Decide requests on the staff page (/tilgang/foresporsler/), which also e-mails the
    person; here they can only be looked up."""

    list_display = ["email", "municipality", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["email", "name", "municipality__name"]
    readonly_fields = [f.name for f in AccessRequest._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: an audit log that can be edited is not one."""

    list_display = ["at", "action", "municipality", "subject", "actor"]
    list_filter = ["action"]
    search_fields = ["subject", "municipality__name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# Respondents, answers and comments are deliberately not in the admin: nobody, staff
# included, reads one person's answers (see assessment/privacy.py).
