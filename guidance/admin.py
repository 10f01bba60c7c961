from django.contrib import admin

from guidance.models import Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["key", "year", "url"]
    search_fields = ["key", "citation"]
