"""The codebook data: every item, code and label, per version.

Codes are the stable English identifiers of the data standard; labels are shown in
the interface and reports. The 2008 version differs only where the data standard says.
"""

from .model import Code, Item

C = Code


def _item(name, nl, en, codes, *, multi=False, population="person", derived=False):
    codes = tuple(codes)
    if not multi and "unknown" not in {c.code for c in codes}:
        codes += (C("unknown", "onbekend", "unknown"),)
    return Item(name, nl, en, codes, multi=multi, population=population, derived=derived)


ORIGIN = [
    C("dutch", "Nederlands", "Dutch"),
    C("turkish", "Turks", "Turkish"),
    C("moroccan", "Marokkaans", "Moroccan"),
    C("surinamese", "Surinaams", "Surinamese"),
    C("antillean", "Antilliaans/Arubaans", "Antillean/Aruban"),
    C("europe_other", "overig Europa", "other European"),
    C("africa", "Afrika", "Africa"),
    C("asia", "Azië", "Asia"),
    C("middle_east", "Midden-Oosten", "Middle East"),
    C("americas", "Noord-, Midden- en Zuid-Amerika", "North, Central and South America"),
]
AGE_GROUP = [
    C("under_20", "jonger dan 20", "under 20"),
    C("20_24", "20-24 jaar", "20-24 years"),
    C("25_29", "25-29 jaar", "25-29 years"),
    C("30_34", "30-34 jaar", "30-34 years"),
    C("35_39", "35-39 jaar", "35-39 years"),
    C("40_plus", "40 jaar of ouder", "40 or older"),
]
EDUCATION = [
    C("lbo_or_lower", "LBO of lager", "lower vocational or less"),
    C("mbo", "MBO", "secondary vocational"),
    C("hbo", "HBO/WO", "higher professional or university"),
]
HOUSEHOLD = [
    C("cohabiting", "samenwonend of gehuwd", "cohabiting or married"),
    C("single", "alleenstaand", "single"),
    C("with_parents", "inwonend bij ouders", "living with parents"),
    C("with_others", "inwonend bij anderen", "living with others"),
]
INCOME_SOURCE = [
    C("partner_income", "inkomen partner", "partner's income"),
    C("joint_income", "gezamenlijk inkomen", "joint income"),
    C("income_and_benefit", "één inkomen en één uitkering", "one income and one benefit"),
    C("two_benefits", "twee uitkeringen", "two benefits"),
    C("own_income", "eigen inkomen", "own income"),
    C("one_benefit", "één uitkering", "one benefit"),
]
INCOME_SOURCE_2008 = [
    C("own_income", "eigen inkomen", "own income"),
    C("joint_income", "gezamenlijk inkomen", "joint income"),
    C("benefit", "uitkering", "benefit"),
    C("partner_income", "inkomen partner", "partner's income"),
]
CHILD_ORDER = [
    C("first", "eerste kind", "first child"),
    C("second", "tweede kind", "second child"),
    C("third_or_later", "derde of later kind", "third or later child"),
]
YES_NO = [C("yes", "ja", "yes"), C("no", "nee", "no")]
MOTHER_CIRCUMSTANCES = [
    C("poor_social_network", "weinig sociaal netwerk", "poor social network"),
    C("insecure_parenting", "onzeker in de opvoeding", "insecure about parenting"),
    C("language_or_culture", "taal / onzeker in Nederland", "language or unfamiliar with the Netherlands"),
    C("single_parenthood", "alleenstaand ouderschap", "single parenthood"),
    C("postnatal_depression", "postnatale depressie", "postnatal depression"),
    C("health_problems", "gezondheidsproblemen (fysiek of psychisch)",
      "health problems (physical or mental)"),
    C("relationship_problems", "relatieproblemen", "relationship problems"),
    C("undocumented", "ongedocumenteerd", "undocumented"),
    C("other", "overig", "other"),
]
MOTHER_CIRCUMSTANCES_2008 = [
    C("poor_social_network", "weinig sociaal netwerk", "poor social network"),
    C("single_parenthood", "alleenstaand ouderschap", "single parenthood"),
    C("other", "overig", "other"),
]
BABY_CIRCUMSTANCES = [
    C("incubator", "couveuse", "incubator"),
    C("multiple_birth", "meerling", "multiple birth"),
    C("excessive_crying", "huilbaby", "excessive crying"),
    C("disability", "handicap", "disability"),
    C("sleep_problems", "slaapproblemen", "sleep problems"),
    C("feeding_problems", "voedingsproblemen", "feeding problems"),
    C("other", "overig", "other"),
]
MOTHER_END_REASON = [
    C("completed", "programma afgerond (18 maanden)", "completed (whole 18-month programme)"),
    C("sufficient_progress", "voldoende vooruitgang", "sufficient progress"),
    C("no_longer_needed", "geen behoefte meer", "no longer needed"),
    C("no_time", "geen tijd", "no time"),
    C("moved", "verhuisd", "moved"),
    C("found_job", "werk gevonden", "found a job"),
    C("started_education", "opleiding gestart", "started education"),
    C("no_match", "klikte niet / lastig te koppelen", "no match"),
    C("referred", "doorverwezen naar professionele hulp", "referred to professional help"),
    C("unreachable", "onbereikbaar", "unreachable"),
    C("other", "overig", "other"),
]
VOLUNTEER_END_REASON = [
    C("no_time", "geen tijd", "no time"),
    C("own_problems", "eigen problemen", "own problems"),
    C("found_job", "betaald werk gevonden", "found a job"),
    C("moved", "verhuisd", "moved"),
    C("started_education", "opleiding gestart", "started education"),
    C("agreements_not_kept", "afspraken niet nagekomen", "agreements not kept"),
    C("other_volunteer_work", "ander vrijwilligerswerk", "other volunteer work"),
    C("illness", "ziekte", "illness"),
    C("pregnancy", "zwangerschap", "pregnancy"),
    C("expectations_not_met", "verwachtingen niet uitgekomen", "expectations not met"),
    C("other", "overig", "other"),
]
WORK_EXPERIENCE = [
    C("care", "zorg", "care"),
    C("education", "onderwijs", "education"),
    C("administrative", "administratief", "administrative"),
    C("commercial", "commercieel", "commercial"),
    C("volunteer_work", "vrijwilligerswerk", "volunteer work"),
    C("other", "overig", "other"),
]
FINANCING = [
    C("jgz_custom_funds", "maatwerkgelden JGZ", "youth health care custom funds"),
    C("municipal_subsidy", "gemeentelijke subsidie", "municipal subsidy"),
    C("jgz_budget", "JGZ-begroting", "youth health care budget"),
    C("other", "overig", "other"),
]
VARIANT = [
    C("regular", "regulier", "regular"),
    C("home_start", "met Home-Start", "with Home-Start"),
    C("boekenpret", "met Boekenpret", "with Boekenpret"),
]
REIMBURSEMENT = [
    C("travel_costs", "reiskosten", "travel costs"),
    C("fixed_per_mother_month", "vast bedrag per moeder per maand", "fixed amount per mother per month"),
    C("fixed_per_visit", "vast bedrag per bezoek", "fixed amount per visit"),
    C("phone_costs", "telefoonkosten", "phone costs"),
    C("childcare_costs", "kosten kinderopvang", "childcare costs"),
    C("gift", "attentie", "gift"),
    C("none", "geen vergoeding", "none"),
]
GROUP_ACTIVITIES = [
    C("meeting_groups", "ontmoetingsgroepen", "meeting groups"),
    C("mother_baby_groups", "moeder-babygroepen", "mother and baby groups"),
    C("social_media", "sociale media", "social media"),
    C("other", "overig", "other"),
]

# A coordinator's fields of experience and her training (data standard version 2, the
# coordinators file): the areas and courses the national reports list, with `other`.
COORDINATOR_EXPERIENCE = [
    C("youth_health_care", "jeugdgezondheidszorg", "youth health care"),
    C("youth_care", "jeugdhulpverlening en jeugdzorg", "youth care and youth aid"),
    C("disability_care", "verstandelijk gehandicaptenzorg", "care for people with an "
      "intellectual disability"),
    C("medical_day_care", "medisch kinderdagverblijf (MKD)", "medical day care for children"),
    C("maternity_care", "kraamzorg", "maternity care"),
    C("childcare", "kinderopvang", "childcare"),
    C("child_psychiatry", "kinder- en jeugdpsychiatrie", "child and adolescent psychiatry"),
    C("psychosocial_care", "psychosociale hulpverlening", "psychosocial care"),
    C("paediatric_ward", "kinderafdeling ziekenhuis", "paediatric hospital ward"),
    C("education", "onderwijs", "education"),
    C("communication", "communicatie en PR", "communication and PR"),
    C("other", "overig", "other"),
]
COORDINATOR_TRAINING = [
    C("nursing", "verpleegkunde (HBO-V)", "nursing (bachelor)"),
    C("public_health_nursing", "verpleegkunde met MGZ", "nursing with public health"),
    C("youth_welfare_work", "HBO jeugdwelzijnswerk", "youth welfare work (bachelor)"),
    C("social_pedagogy", "HBO SPH", "social pedagogical care (bachelor)"),
    C("psychology", "psychologie", "psychology"),
    C("management", "marketing en management", "marketing and management"),
    C("teacher_training", "pedagogische academie", "teacher training"),
    C("maternity_care_training", "praktijkopleider kraamzorg", "maternity care trainer"),
    C("physical_education", "academie lichamelijke opvoeding", "physical education"),
    C("coaching", "coachingopleiding", "coaching course"),
    C("other", "overig", "other"),
]


def _common(origin, income, mother_circ, baby_circ):
    return [
        origin,
        _item("age_group", "leeftijdsgroep", "age group", AGE_GROUP, derived=True),
        _item("education", "opleidingsniveau", "education", EDUCATION),
        _item("household", "gezinssamenstelling", "household", HOUSEHOLD),
        _item("income_source", "inkomstenbron", "income source", income),
        _item("child_order", "kind", "child order", CHILD_ORDER),
        _item("yes_no", "ja/nee", "yes/no", YES_NO),
        _item("mother_circumstances", "omstandigheden moeder", "circumstances of the mother",
              mother_circ, multi=True),
        _item("baby_circumstances", "omstandigheden baby", "circumstances of the baby",
              baby_circ, multi=True),
        _item("mother_end_reason", "reden beëindiging (moeder)", "reason for ending (mother)",
              MOTHER_END_REASON),
        _item("volunteer_end_reason", "reden vertrek (vrijwilliger)",
              "reason for stopping (volunteer)", VOLUNTEER_END_REASON),
        _item("work_experience", "werkervaring", "work experience", WORK_EXPERIENCE, multi=True),
        _item("financing", "financiering", "financing", FINANCING, multi=True, population="site"),
        _item("variant", "uitvoeringsvariant", "variant", VARIANT, multi=True, population="site"),
        _item("reimbursement", "vergoeding vrijwilligers", "volunteer reimbursement",
              REIMBURSEMENT, multi=True, population="site"),
        _item("group_activities", "groepsactiviteiten", "group activities", GROUP_ACTIVITIES,
              multi=True, population="site"),
        _item("coordinator_experience", "ervaring coördinator", "coordinator's experience",
              COORDINATOR_EXPERIENCE, multi=True, population="coordinator"),
        _item("coordinator_training", "opleiding coördinator", "coordinator's training",
              COORDINATOR_TRAINING, multi=True, population="coordinator"),
    ]


CURRENT_ITEMS = _common(
    _item("origin", "herkomst", "origin", ORIGIN),
    INCOME_SOURCE,
    MOTHER_CIRCUMSTANCES,
    BABY_CIRCUMSTANCES,
)
# In 2008 a missing origin was not a category of its own: origin had no `unknown`.
ITEMS_2008 = _common(
    Item("origin", "herkomst", "origin", tuple(ORIGIN), multi=False, population="person"),
    INCOME_SOURCE_2008,
    MOTHER_CIRCUMSTANCES_2008,
    [c for c in BABY_CIRCUMSTANCES if c.code not in {"sleep_problems", "feeding_problems"}],
)
