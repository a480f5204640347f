"""The self-assessment in the reports' "Resultaten" section (mim.reports.results_section):
a table of the published rows, careful sentences whose numbers are the table's, in HTML,
PDF and DOCX."""

import io

import docx
import pytest

from mim.figures import standard
from mim.publication.selectors import published_assessment
from mim.reports.assemble import national_report, site_report
from mim.reports.document import Paragraph, Table, iter_sections
from mim.reports.output import render
from tests.reports.numbers import problems
from tests.reports.test_national import pdf_text
from tests.results.conftest import ASSESSMENT_YEAR as YEAR

pytestmark = pytest.mark.django_db
TITLE = "Wat verandert voor de moeder"


def _section(report):
    return next(s for _level, s in iter_sections(report) if s.title == TITLE)


def _table(section, caption: str) -> Table:
    return next(b for b in section.blocks if isinstance(b, Table) and b.caption.startswith(caption))


def _resultaten(report):
    return next(s for _level, s in iter_sections(report) if s.title == "Resultaten")


def _words(section) -> str:
    return " ".join(b.text for b in section.blocks if isinstance(b, Paragraph))


def _cells(rows, aim) -> list[str]:
    def value(statistic):
        return next(f for f in rows
                    if f.variable == standard.assessment_variable(aim, statistic)).value

    def text(v, signed=False):
        found = f"{abs(v):.2f}".replace(".", ",")
        return ("−" if v < 0 else "+" if signed and v > 0 else "") + found

    pairs = next(f for f in rows if f.variable == standard.assessment_variable(aim, "pairs"))
    return [str(pairs.count), text(value("intake_mean")), text(value("end_mean")),
            text(value("change"), True),
            f"{text(value('ci_low'), True)} tot {text(value('ci_high'), True)}"]


def test_it_states_the_national_change_with_its_pairs_and_careful_words(measured):
    report = national_report(YEAR)
    section = _section(report)
    table = _table(section, "Zelfevaluatie")
    published = published_assessment(measured.office, YEAR, "national", "NL")
    confidence = next(r for r in table.rows if r[0] == "Zelfvertrouwen als moeder")
    assert confidence[1:] == _cells(published, "confidence")
    # 24 confidence pairs (12 at each site), 19 support pairs: "19 tot 24 paren"
    words = _words(section)
    assert "19 tot 24 paren" in words
    assert "Van de 26 moeders die in 2024 stopten, hadden er 24 (92%) een eindmeting" in words
    assert "eerste bedreiging" in words and "geen effect van het programma" in words
    assert "geen vergelijkingsgroep" in words
    assert problems(report, set(range(YEAR - 10, YEAR + 2))) == []


def test_it_shows_a_hidden_aim_as_the_mark_with_its_legend_in_the_site_report(measured):
    report = site_report(YEAR, measured.site_a.code)
    section = _section(report)
    table = _table(section, "Zelfevaluatie")
    support = next(r for r in table.rows if r[0] == "Mensen om op terug te vallen")
    assert support[1:] == ["×"] * 5
    assert any(n.startswith("×:") for n in table.notes)
    # the nation beside it
    assert any(r[0] == "Nederland: Zelfvertrouwen als moeder" for r in table.rows)
    words = _words(section)
    assert "Alleen bij 'zelfvertrouwen als moeder'" in words and "12 paren" in words
    assert "Van de 14 moeders die in 2024 stopten, hadden er 12 (86%)" in words
    # the site report's own sections are not under the number check; its Resultaten are
    results = {s.title for _level, s in iter_sections(report)
               if s.title == "Resultaten" or s in _resultaten(report).subsections}
    assert results and [p for p in problems(report, set(range(YEAR - 10, YEAR + 2)))
                        if p.split(":")[0] in results] == []


def test_it_renders_the_table_and_its_sentences_in_every_format(measured):
    report = national_report(YEAR)
    table = _table(_section(report), "Zelfevaluatie")
    change = next(r for r in table.rows if r[0] == "Zelfvertrouwen als moeder")[4]
    html = render(report, "html").decode()
    assert TITLE in html and table.caption in html and change in html
    pdf = pdf_text(render(report, "pdf"))
    # (a row's name may wrap in its cell)
    assert TITLE in pdf and table.caption in pdf and change in pdf
    document = docx.Document(io.BytesIO(render(report, "docx")))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Zelfvertrouwen als moeder" in cells and change in cells
    assert any(TITLE in p.text for p in document.paragraphs)


def test_it_checks_the_sections_numbers_so_a_wrong_one_is_caught(measured):
    # The Resultaten sections are under the number check: a pair count or a change that is not
    # in the table is an error, as is a share of the end measurement that is not its row's.
    report = national_report(YEAR)
    years = set(range(YEAR - 10, YEAR + 2))
    assert problems(report, years) == []
    pairs, end = (next(b for b in _section(report).blocks if isinstance(b, Paragraph)
                       and words in b.text) for words in ("paren", "eindmeting."))
    for paragraph, right, wrong in ((pairs, "19 tot 24 paren", "19 tot 25 paren"),
                                    (pairs, "+1,63", "+1,64"), (end, "(92%)", "(93%)")):
        paragraph.text = paragraph.text.replace(right, wrong)
        assert problems(report, years), wrong
        paragraph.text = paragraph.text.replace(wrong, right)
    assert problems(report, years) == []
