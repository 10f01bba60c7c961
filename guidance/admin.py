from django.contrib import admin

from guidance.models import Library


@admin.register(Library)
class LibraryAdmin(admin.ModelAdmin):
    list_display = ["version", "created_at"]
    readonly_fields = ["definition", "content_hash", "texts_hash"]
