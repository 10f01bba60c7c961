from django.contrib import admin

from guidance.models import Library, ReportExport, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["key", "year", "url"]
    search_fields = ["key", "citation"]


@admin.register(Library)
class LibraryAdmin(admin.ModelAdmin):
    list_display = ["version", "created_at"]
    readonly_fields = ["definition", "content_hash", "texts_hash"]


@admin.register(ReportExport)
class ReportExportAdmin(admin.ModelAdmin):
    list_display = ["id", "requested_by", "status", "done", "total", "created_at"]
    list_filter = ["status"]
