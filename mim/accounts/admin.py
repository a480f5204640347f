from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from mim.accounts.models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["site", "organisation", "municipality"]


@admin.register(User)
class MimUserAdmin(UserAdmin):
    inlines = [RoleAssignmentInline]
