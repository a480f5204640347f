from django.contrib.auth.decorators import login_not_required
from django.urls import path

from mim.urls import urlpatterns as real


@login_not_required
def boom(request):
    raise RuntimeError("secret detail that must not reach the visitor")


urlpatterns = [path("boom/", boom), *real]
