from django.contrib.auth import views as auth_views
from django.urls import path

from mim.accounts import views

urlpatterns = [
    path("inloggen/", views.login, name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("inloggen/tweede-stap/", views.second_factor, name="second_factor"),
    path("inloggen/tweede-stap/instellen/", views.second_factor_setup,
         name="second_factor_setup"),
    path("inloggen/uitnodiging/<uidb64>/<token>/", views.InvitationView.as_view(),
         name="invitation"),
    path("account/wachtwoord/", views.OwnPasswordView.as_view(), name="password_change"),
]
