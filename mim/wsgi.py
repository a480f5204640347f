import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mim.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (needs the settings loaded above)

if not settings.DEBUG and settings.USING_DEV_SECRET_KEY:
    raise ImproperlyConfigured("MIM_SECRET_KEY is not set; refusing to serve with the development key")
