from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from mim.accounts.models import RoleAssignment, User
from mim.audit.models import Event
from mim.audit.services import audit_record


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["site", "organisation", "municipality"]

    class Media:
        css = {"all": ["mim/admin.css"]}  # the inline scrolls in its box, not the page


@admin.register(User)
class MimUserAdmin(UserAdmin):
    inlines = [RoleAssignmentInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is RoleAssignment:
            # a role opens records or figures: each grant and withdrawal is logged by name
            for event, assignments in ((Event.CREATE, formset.new_objects),
                                       (Event.UPDATE, [a for a, _f in formset.changed_objects]),
                                       (Event.DELETE, formset.deleted_objects)):
                for assignment in assignments:
                    audit_record(event=event, request=request, site=assignment.site,
                                 object_type="roleassignment",
                                 object_ref=assignment.user.get_username()[:64],
                                 detail=f"role {assignment.role} for {_scope(assignment)}")


def _scope(assignment: RoleAssignment) -> str:
    for field in ("site", "organisation", "municipality"):
        value = getattr(assignment, field)
        if value is not None:
            return f"{field} {getattr(value, 'code', None) or value.name}"
    return "the whole programme"
