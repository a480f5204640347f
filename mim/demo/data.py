"""Distributions and places for the synthetic demo data.

Shares follow the national figures of the 2014 report (facts, not text), so the demo's
figures look like a real year. Organisations are fictional; municipalities are real.
"""

MOTHER_ORIGIN = {"dutch": 31, "turkish": 6, "moroccan": 5, "surinamese": 3, "antillean": 2,
                 "europe_other": 18, "africa": 10, "asia": 9, "middle_east": 4, "americas": 2,
                 "unknown": 10}
VOLUNTEER_ORIGIN = {"dutch": 63, "turkish": 4, "moroccan": 6, "surinamese": 3, "antillean": 2,
                    "europe_other": 9, "africa": 4, "asia": 3, "middle_east": 3, "americas": 3}
# Ages at the start, so that ages reached in a year match the report's bands.
MOTHER_AGE = {(17, 19): 3, (20, 24): 15, (25, 29): 34, (30, 34): 29, (35, 39): 14, (40, 44): 5}
VOLUNTEER_AGE = {(22, 24): 3, (25, 29): 16, (30, 34): 19, (35, 39): 25, (40, 66): 37}
MOTHER_EDUCATION = {"lbo_or_lower": 26, "mbo": 36, "hbo": 32, "unknown": 6}
VOLUNTEER_EDUCATION = {"lbo_or_lower": 21, "mbo": 36, "hbo": 43}
HOUSEHOLD = {"cohabiting": 76, "single": 18, "with_parents": 2, "with_others": 2, "unknown": 2}
INCOME = {"partner_income": 32, "joint_income": 28, "income_and_benefit": 9, "two_benefits": 9,
          "own_income": 8, "one_benefit": 12, "unknown": 2}
CHILD_ORDER = {"first": 79, "second": 18, "third_or_later": 1, "unknown": 2}
PREGNANT = {"yes": 14, "no": 80, "unknown": 6}
# Probability that a mother has each circumstance (several per mother).
MOTHER_CIRCUMSTANCES = {"poor_social_network": .55, "insecure_parenting": .45,
                        "language_or_culture": .38, "single_parenthood": .15,
                        "postnatal_depression": .06, "health_problems": .10,
                        "relationship_problems": .05, "undocumented": .02, "other": .08}
BABY_CIRCUMSTANCES = {"incubator": .03, "multiple_birth": .02, "excessive_crying": .05,
                      "disability": .01, "sleep_problems": .10, "feeding_problems": .07,
                      "other": .03}
MOTHER_END = {"sufficient_progress": 16, "moved": 10, "no_time": 8, "no_longer_needed": 7,
              "found_job": 6, "started_education": 7, "no_match": 4, "referred": 3,
              "unreachable": 4, "other": 3}
SHARE_COMPLETED = 0.40
VOLUNTEER_END = {"no_time": 36, "own_problems": 13, "found_job": 12, "agreements_not_kept": 9,
                 "other_volunteer_work": 9, "moved": 7, "started_education": 5, "illness": 3,
                 "pregnancy": 3, "expectations_not_met": 2, "other": 1}
WORK_EXPERIENCE = {"care": .55, "education": .25, "administrative": .22, "commercial": .15,
                   "volunteer_work": .30, "other": .10}
COUNTRIES = {"dutch": ["NL"], "turkish": ["TR", "NL"], "moroccan": ["MA", "NL"],
             "surinamese": ["SR", "NL"], "antillean": ["CW", "AW", "NL"],
             "europe_other": ["PL", "BG", "RO", "DE", "ES", "IT", "PT", "GB", "UA"],
             "africa": ["ER", "SO", "GH", "NG", "ET", "SD", "BI", "EG"],
             "asia": ["CN", "IN", "AF", "VN", "ID", "PH", "TW"],
             "middle_east": ["SY", "IQ", "IR"], "americas": ["BR", "CO", "PE", "US", "VE"],
             "unknown": [""]}

ORGANISATIONS = {
    "haag": "Stichting Jong Haaglanden",
    "rijnmond": "JGZ Rijnmond-West",
    "drechtsteden": "Zorgpartners Drechtsteden",
    "veluwe": "Welzijn Gelderse Vallei en Veluwe",
    "flevo": "Opgroeien Flevoland",
    "noord": "Jeugdgezondheid Noord",
    "brabant": "Samen Sterk Brabant",
    "midden": "Stichting Thuis in de Wijk",
}

# code, name, organisation key, municipality, CBS code, mothers started per year, first year
SITES = [
    ("den-haag-escamp", "Den Haag (Escamp)", "haag", "Den Haag", "GM0518", 62, 2004),
    ("den-haag-laak", "Den Haag (Laak en Moerwijk)", "haag", "Den Haag", "GM0518", 55, 2004),
    ("den-haag-centrum", "Den Haag (Centrum en Transvaal)", "haag", "Den Haag", "GM0518", 48, 2006),
    ("schiedam", "Schiedam", "rijnmond", "Schiedam", "GM0606", 22, 2008),
    ("vlaardingen", "Vlaardingen", "rijnmond", "Vlaardingen", "GM0622", 18, 2008),
    ("rotterdam-delfshaven", "Rotterdam (Delfshaven)", "rijnmond", "Rotterdam", "GM0599", 30, 2022),
    ("dordrecht", "Dordrecht", "drechtsteden", "Dordrecht", "GM0505", 26, 2004),
    ("zwijndrecht", "Zwijndrecht", "drechtsteden", "Zwijndrecht", "GM0642", 12, 2010),
    ("ede", "Ede", "veluwe", "Ede", "GM0228", 24, 2005),
    ("barneveld", "Barneveld", "veluwe", "Barneveld", "GM0203", 12, 2009),
    ("harderwijk", "Harderwijk", "veluwe", "Harderwijk", "GM0243", 14, 2007),
    ("nijkerk", "Nijkerk", "veluwe", "Nijkerk", "GM0267", 10, 2011),
    ("lelystad", "Lelystad", "flevo", "Lelystad", "GM0995", 20, 2006),
    ("dronten", "Dronten", "flevo", "Dronten", "GM0303", 9, 2012),
    ("zeewolde", "Zeewolde", "flevo", "Zeewolde", "GM0050", 2, 2013),
    ("groningen", "Groningen", "noord", "Groningen", "GM0014", 25, 2005),
    ("s-hertogenbosch", "'s-Hertogenbosch", "brabant", "'s-Hertogenbosch", "GM0796", 20, 2008),
    ("best", "Best", "brabant", "Best", "GM0753", 8, 2010),
    ("utrecht-overvecht", "Utrecht (Overvecht)", "midden", "Utrecht", "GM0344", 24, 2021),
    ("amersfoort", "Amersfoort", "midden", "Amersfoort", "GM0307", 16, 2014),
]

FIRST_NAMES = ["Aisha", "Anna", "Fatima", "Sanne", "Eva", "Yasmina", "Lotte", "Mariam", "Julia",
               "Noor", "Sara", "Hanna", "Esra", "Lisa", "Ilse", "Amina", "Femke", "Zeynep",
               "Marloes", "Shirley", "Gloria", "Olena", "Agnieszka", "Mei", "Priya", "Rania"]
LAST_NAMES = ["de Vries", "Jansen", "El Amrani", "Yilmaz", "Bakker", "Visser", "Smit",
              "Kowalski", "Mohamed", "Meijer", "de Boer", "Mulder", "Hassan", "Kaya",
              "Bos", "Vos", "Peters", "Hendriks", "Dekker", "Brouwer", "Nguyen", "Pinas"]
STREETS = ["Lindenlaan", "Kastanjestraat", "Molenweg", "Schoolstraat", "Dorpsstraat",
           "Havenkade", "Parkweg", "Beukenlaan", "Julianastraat", "Kerkstraat"]
