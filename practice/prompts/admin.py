from django.contrib import admin

from .models import Prompt


@admin.register(Prompt)
class PromptAdmin(admin.ModelAdmin):
    # Only the library is here. What couples were asked and what they answered is theirs,
    # so it has no admin page.
    list_display = ("key", "theme", "depth", "short_text", "active")
    list_filter = ("theme", "depth", "active")
    list_editable = ("active",)
    search_fields = ("key", "text")
    ordering = ("theme", "depth", "key")
    fields = ("key", "theme", "depth", "text", "active", "created_at", "updated_at")
    readonly_fields = ("created_at", "updated_at")

    @admin.display(description="Text")
    def short_text(self, obj: Prompt) -> str:
        return obj.text if len(obj.text) <= 90 else obj.text[:89] + "…"

    def get_readonly_fields(self, request, obj=None):
        # Ids are stable: couples' histories and the data file refer to them.
        if obj is not None:
            return ("key", *self.readonly_fields)
        return self.readonly_fields
