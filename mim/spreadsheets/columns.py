"""The record files of the data standard ("Record files"): sheets, columns and their kinds.

Template, importer and exporter all read this one description, so the three cannot drift.
"""

from dataclasses import dataclass

from mim.codebook import assessment
from mim.registry.models import Mother, MotherAnswer, Volunteer, VolunteerAnswer

REF, DATE, YEAR, CODE, END_REASON, MULTI, COUNTRY, MOMENT, SCALE, VERSION = (
    "ref", "date", "year", "code", "end_reason", "multi", "country", "moment", "scale",
    "version")


@dataclass(frozen=True)
class Column:
    code: str
    kind: str
    item: str = ""  # the codebook item of a coded column
    required: bool = False  # the header must have it
    nl: str = ""  # what the column holds, for the explanation sheet


def _person_columns(ref: str, end_reason_item: str, nl_ref: str) -> tuple[Column, ...]:
    return (
        Column(ref, REF, required=True, nl=nl_ref),
        Column("start_date", DATE, required=True, nl="startdatum (JJJJ-MM-DD), verplicht"),
        Column("end_date", DATE, nl="einddatum (JJJJ-MM-DD); leeg zolang de persoon meedoet"),
        Column("end_reason", END_REASON, end_reason_item,
               nl="reden van het einde; alleen met een einddatum"),
        Column("birth_year", YEAR, nl="geboortejaar (vier cijfers)"),
        Column("origin", CODE, "origin", nl="herkomst"),
    )


MOTHER_COLUMNS = (
    *_person_columns("mother_ref", "mother_end_reason",
                     "eigen referentie van de moeder (geen naam), uniek binnen de locatie"),
    Column("country_of_birth", COUNTRY, nl="geboorteland: de naam uit de keuzelijst "
                                           "(Turkije) of de landcode (ISO 3166-1, TR)"),
    Column("education", CODE, "education", nl="opleidingsniveau"),
    Column("household", CODE, "household", nl="gezinssamenstelling"),
    Column("income_source", CODE, "income_source", nl="inkomstenbron"),
    Column("child_order", CODE, "child_order", nl="het hoeveelste kind"),
    Column("pregnant_at_start", CODE, "yes_no", nl="zwanger bij de start (ja/nee)"),
    Column("mother_circumstances", MULTI, "mother_circumstances",
           nl="omstandigheden van de moeder; meerdere gescheiden door ;"),
    Column("baby_circumstances", MULTI, "baby_circumstances",
           nl="omstandigheden van de baby; meerdere gescheiden door ;"),
)
VOLUNTEER_COLUMNS = (
    *_person_columns("volunteer_ref", "volunteer_end_reason",
                     "eigen referentie van de vrijwilliger (geen naam), uniek binnen de locatie"),
    Column("education", CODE, "education", nl="opleidingsniveau"),
    Column("former_mim_mother", CODE, "yes_no", nl="zelf eerder MIM-moeder geweest (ja/nee)"),
    Column("work_experience", MULTI, "work_experience",
           nl="werkervaring; meerdere gescheiden door ;"),
    Column("vog_date", DATE, nl="datum waarop de VOG is gezien (JJJJ-MM-DD)"),
    Column("agreement_signed", CODE, "yes_no", nl="vrijwilligersovereenkomst getekend (ja/nee)"),
)
MATCH_COLUMNS = (
    Column("mother_ref", REF, required=True, nl="referentie van de moeder"),
    Column("volunteer_ref", REF, required=True, nl="referentie van de vrijwilliger"),
    Column("start_date", DATE, required=True, nl="startdatum van de koppeling (JJJJ-MM-DD)"),
    Column("end_date", DATE, nl="einddatum van de koppeling (JJJJ-MM-DD); leeg zolang ze loopt"),
)

# Data standard version 2, "Visits": the visits of the coordinator's work lists.
VISIT_COLUMNS = (
    Column("mother_ref", REF, required=True, nl="referentie van de moeder"),
    Column("visit_date", DATE, required=True, nl="datum van het bezoek (JJJJ-MM-DD)"),
    Column("volunteer_ref", REF, nl="referentie van de vrijwilliger die op bezoek ging; leeg: "
                                    "de vrijwilliger die op die datum aan de moeder gekoppeld was"),
)


# Issue 13: the mother's self-assessment, a row per mother and moment. Its own sheet, beside
# the data standard's four: the visits file of the standard has fixed columns, a row per visit.
ASSESSMENT_COLUMNS = (
    Column("mother_ref", REF, required=True, nl="referentie van de moeder"),
    Column("moment", MOMENT, required=True,
           nl="moment: intake, month9 (na 9 maanden) of end (einde)"),
    Column("assessment_date", DATE, required=True,
           nl="datum van het gesprek (JJJJ-MM-DD)"),
    Column("version", VERSION, nl="versie van de vragen; leeg: de versie die op die datum "
                                  "gold (een bestaande meting houdt de hare)"),
    *(Column(aim, SCALE, nl=f"{assessment.VERSIONS[-1].question(aim).short_nl}: 1 tot en met 5, "
                            "leeg = niet beantwoord") for aim in assessment.AIMS),
)


@dataclass(frozen=True)
class PersonSheet:
    name: str
    model: type
    answer_model: type
    owner_field: str  # the answer model's foreign key to the person
    columns: tuple[Column, ...]

    @property
    def ref_column(self) -> str:
        return self.columns[0].code

    @property
    def object_type(self) -> str:
        return self.model._meta.model_name


MOTHERS = PersonSheet("mothers", Mother, MotherAnswer, "mother", MOTHER_COLUMNS)
VOLUNTEERS = PersonSheet("volunteers", Volunteer, VolunteerAnswer, "volunteer",
                         VOLUNTEER_COLUMNS)
SHEETS = {"mothers": MOTHER_COLUMNS, "volunteers": VOLUNTEER_COLUMNS, "matches": MATCH_COLUMNS,
          "visits": VISIT_COLUMNS, "assessments": ASSESSMENT_COLUMNS}
# Sheets of our own template that the importer passes over.
IGNORED_SHEETS = ("uitleg", "codes")
