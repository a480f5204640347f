from django.conf import settings
from django.core.checks import Error, register


@register(deploy=True)
def check_secret_key(app_configs, **kwargs):
    if settings.USING_DEV_SECRET_KEY:
        return [Error("MIM_SECRET_KEY (or MIM_SECRET_KEY_FILE) is not set",
                      hint="Generate one: python -c 'import secrets; print(secrets.token_urlsafe(50))'",
                      id="mim.E001")]
    return []
