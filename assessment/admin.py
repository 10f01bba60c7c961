from django.contrib import admin

from assessment.models import Adviser, Assessment, Coordinator, Municipality, QuestionBank


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


@admin.register(Adviser)
class AdviserAdmin(admin.ModelAdmin):
    """Staff create adviser accounts here: county numbers (e.g. ["18"]) or national scope."""

    list_display = ["user", "organisation", "national", "counties"]
    list_filter = ["national"]
    search_fields = ["user__username", "user__email", "organisation"]
