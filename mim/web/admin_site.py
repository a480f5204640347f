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
        from django.contrib.auth.views import redirect_to_login
        from django.urls import reverse

        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))

    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and user.is_staff and user.is_authenticated
                    and user.is_verified() and user.is_operator)
