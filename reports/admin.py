from django.contrib import admin

from reports.models import ReportExport


@admin.register(ReportExport)
class ReportExportAdmin(admin.ModelAdmin):
    list_display = ["id", "requested_by", "status", "done", "total", "created_at"]
    list_filter = ["status"]
