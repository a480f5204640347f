import functools

from django.contrib.admin import AdminSite
from django.utils.translation import gettext_lazy as _


class OperatorAdminSite(AdminSite):
    """Django's admin, for operators only: it shows raw tables, personal ones included,
    so no other role may enter, whatever its is_staff flag says."""

    site_header = _("MIM Registratie — technisch beheer")
    site_title = _("MIM beheer")

    def login(self, request, extra_context=None):
        # One login route for everybody: the admin's own login form would be a second
        # door, so it sends people to the front door (password, then second factor).
        # Somebody logged in already is refused instead: the front door would send her
        # straight back here, and round again (the loop of issue 11).
        from django.contrib.auth.views import redirect_to_login
        from django.core.exceptions import PermissionDenied

        if request.user.is_authenticated:
            raise PermissionDenied
        from django.urls import reverse

        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))

    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and user.is_staff and user.is_authenticated
                    and user.is_verified() and user.is_operator)

    def admin_view(self, view, cacheable=False):
        """Every change an operator makes here goes to the access log as well (who, when,
        from where, which page); Django's own admin history keeps the details. The admin
        is the one place where someone can give herself a role that opens records."""
        wrapped = super().admin_view(view, cacheable)

        @functools.wraps(wrapped)
        def logged(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                # logged in without the operator role: the Dutch 403 page, not a detour
                # through the admin's login
                from django.core.exceptions import PermissionDenied

                raise PermissionDenied
            response = wrapped(request, *args, **kwargs)
            if (request.method == "POST" and response.status_code == 302
                    and not request.path.endswith("/logout/") and self.has_permission(request)):
                from mim.audit.models import Event
                from mim.audit.services import audit_record

                audit_record(event=Event.UPDATE, request=request, object_type="admin",
                             object_ref=request.path[:64], detail="change in the admin")
            return response

        return logged
