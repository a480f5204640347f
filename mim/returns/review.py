"""The figures the office's review of a return shows: the publication's, not the return's own.

The review must show a return's figures only in their published form, beside last year's
(docs/publication.md, "One form per year"). The publication sits downstream of returns on the
road (registry → figures → returns → publication), so returns does not import it: the
publication registers its comparison here when it loads (mim.publication.apps), and the review
view asks for it through `compared`. Without a registered provider the review refuses to show
figures rather than fall back to unsuppressed ones.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

_provider: Callable | None = None


def register(provider: Callable) -> None:
    """`provider(user, year, site_code, figures) -> (compared rows, previous year)`."""
    global _provider
    _provider = provider


def compared(user, year: int, site_code: str, figures):
    if _provider is None:
        raise ImproperlyConfigured("mim.publication is not installed: the review has no "
                                   "published figures to show")
    return _provider(user, year, site_code, figures)
