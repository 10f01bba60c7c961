from django.contrib import admin

from content.models import Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["key", "year", "citation"]
    search_fields = ["key", "citation"]
