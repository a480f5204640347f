"""One report, three formats: the renderers behind one call, with file name and media type."""

from django.utils.text import slugify

from mim.reports.document import Report
from mim.reports.services import kept_drawings

FORMATS = {
    "pdf": ("application/pdf", "pdf"),
    "html": ("text/html; charset=utf-8", "html"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
}


def render(report: Report, fmt: str) -> bytes:
    # Imported here: each renderer pulls in its own heavy library (Typst, python-docx).
    # The PDF and the page draw their charts as SVG, kept across processes (kept_drawings).
    if fmt == "pdf":
        from mim.reports.render_pdf import render_pdf

        with kept_drawings(report):
            return render_pdf(report)
    if fmt == "html":
        from mim.reports.render_html import render_html

        with kept_drawings(report):
            return render_html(report).encode("utf-8")
    if fmt == "docx":
        from mim.reports.render_docx import render_docx

        return render_docx(report)
    raise ValueError(f"unknown report format {fmt!r}")


def content_type(fmt: str) -> str:
    return FORMATS[fmt][0]


def file_name(year: int, fmt: str, site: str | None = None,
              municipality: str | None = None) -> str:
    if site:
        scope = f"locatie-{site}"
    elif municipality:
        scope = f"gemeente-{slugify(municipality) or 'onbekend'}"
    else:
        scope = "landelijk"
    return f"mim-registratie-{year}-{scope}.{FORMATS[fmt][1]}"
