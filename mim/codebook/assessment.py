"""The mother's self-assessment: its aims, moments and 1-5 scale, with their wording per version.

The coordinator fills it in with the mother at intake, at about 9 months and at the end. The
aims are stable codes (the data standard names its figures after them,
mim.figures.standard); what a version may change is the wording of the questions and of the
scale. A stored assessment keeps the version it was answered in (SelfAssessment.version), and
every page shows that version's wording, so an answer is never read against a question it was
not given. A new wording is a new `AssessmentVersion` appended to VERSIONS with the day it
comes in use; nothing stored changes.
"""

import datetime as dt
from dataclasses import dataclass

from .model import Code

# The programme's aims, in the order of the form and the tables.
AIMS = ("confidence", "independence", "self_care", "support", "finding_help")
MOMENTS = ("intake", "month9", "end")
SCALE = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Question:
    aim: str
    nl: str  # the question as read out to the mother
    en: str
    short_nl: str  # the name of the aim in tables and column heads
    short_en: str

    def text(self, lang: str = "nl") -> str:
        return self.en if lang == "en" else self.nl

    def short(self, lang: str = "nl") -> str:
        return self.short_en if lang == "en" else self.short_nl


@dataclass(frozen=True)
class AssessmentVersion:
    version: str
    first_day: dt.date  # assessments dated on or after this day are answered in it
    questions: tuple[Question, ...]
    scale: tuple[Code, ...]  # code "1" .. "5"

    def question(self, aim: str) -> Question:
        return next(q for q in self.questions if q.aim == aim)

    def scale_label(self, value: int | None, lang: str = "nl") -> str:
        if value is None:
            return ""
        found = next((c for c in self.scale if c.code == str(value)), None)
        return f"{value} – {found.label(lang)}" if found else str(value)


Q = Question
C = Code

VERSIONS = (
    AssessmentVersion(
        "1", dt.date(2004, 1, 1),
        (
            Q("confidence", "Ik voel me zeker als moeder.", "I feel confident as a mother.",
              "zelfvertrouwen als moeder", "confidence as a mother"),
            Q("independence", "Ik red het zelf, ook als het even tegenzit.",
              "I manage on my own, also when things are difficult.",
              "zichzelf redden", "managing on her own"),
            Q("self_care", "Ik zorg goed voor mezelf.", "I take good care of myself.",
              "goed voor zichzelf zorgen", "taking care of herself"),
            Q("support", "Er zijn mensen om mij heen bij wie ik terecht kan.",
              "There are people around me I can turn to.",
              "mensen om op terug te vallen", "people to turn to"),
            Q("finding_help", "Ik weet waar ik hulp kan vinden als ik die nodig heb.",
              "I know where to find help when I need it.",
              "weten waar hulp te vinden is", "knowing where to find help"),
        ),
        (
            C("1", "helemaal niet mee eens", "strongly disagree"),
            C("2", "niet mee eens", "disagree"),
            C("3", "neutraal", "neither agree nor disagree"),
            C("4", "mee eens", "agree"),
            C("5", "helemaal mee eens", "strongly agree"),
        ),
    ),
)


def version(name: str) -> AssessmentVersion:
    """A version by its name; KeyError for one that does not exist."""
    for found in VERSIONS:
        if found.version == name:
            return found
    raise KeyError(name)


def for_date(day: dt.date) -> AssessmentVersion:
    """The version in use on `day` (the earliest one for a day before every version)."""
    current = VERSIONS[0]
    for candidate in VERSIONS:
        if candidate.first_day <= day:
            current = candidate
    return current


def all_versions() -> list[str]:
    """Every version's name (for the database constraint)."""
    return [v.version for v in VERSIONS]
