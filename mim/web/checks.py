from django.conf import settings
from django.core.checks import Error, register


@register(deploy=True)
def check_secret_key(app_configs, **kwargs):
    if settings.USING_DEV_SECRET_KEY:
        return [Error("MIM_SECRET_KEY (or MIM_SECRET_KEY_FILE) is not set",
                      hint="Generate one: python -c 'import secrets; print(secrets.token_urlsafe(50))'",
                      id="mim.E001")]
    return []


@register(deploy=True)
def check_site_url(app_configs, **kwargs):
    # The invitation mails' links: an https address the operator chose, never the Host header
    # of whichever request made the account.
    if not settings.MIM_SITE_URL.startswith("https://"):
        return [Error("MIM_SITE_URL is not set to the site's https address",
                      hint="For example MIM_SITE_URL=https://mim.example.nl",
                      id="mim.E002")]
    return []
