"""Parameters that pages take from the URL, checked the same way everywhere."""

from django.http import Http404

from mim.codebook import codebooks


def year_or_404(value) -> int:
    """A registration year from a URL: a year the codebook knows, or 404."""
    try:
        year = int(value)
        codebooks.for_year(year)
    except (TypeError, ValueError, codebooks.UnknownYear):
        raise Http404 from None
    return year
