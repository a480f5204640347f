"""The national report of a year: published figures → the document model (mim.reports.document).

`build_national_report(inputs)` is a pure function of `NationalInputs` (mim.reports.selectors):
it reads no database, so what a report says follows from the published figures alone. Every
sentence with a number comes from mim.reports.text, in the project's own words; the sections
follow the national reports of earlier years (spec/system.md, "The national report").

Site-level statements (largest and smallest site, second-child mothers per site) use each
site's figures in their published form only: a hidden site figure is never stated, and a
sentence over sites says when some sites' figures are not shown.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from mim.codebook import codebooks
from mim.figures import standard
from mim.figures.standard import HIDDEN_MARK
from mim.figures.tidy import Figure
from mim.reports.building import (
    HIDDEN_NOTE,
    any_hidden,
    bar_chart,
    breakdown_table,
    codes_of,
    count_cell,
    count_value,
    label_of,
    paragraphs,
    share_value,
    total_of,
)
from mim.reports.charts import LineChart, Series
from mim.reports.document import BulletList, Chart, Note, Paragraph, Report, Section, Table
from mim.reports.selectors import WITHOUT_DATA, NationalInputs, SiteFacts
from mim.reports.text import (
    SUPPRESSED,
    Noun,
    compare_count,
    compare_share,
    completeness_sentence,
    count_noun,
    fmt_int,
    fmt_pct,
    fmt_share,
    hours_range_sentence,
    list_phrase,
    migrant_background_sentence,
    multi_answer_note,
    multi_answer_sentence,
    range_sentence,
    ranked_categories_sentence,
    ratio_sentence,
)

STATUS_TEXT = {"approved": "goedgekeurd", "provisional": "voorlopig", "missing": "geen gegevens",
               "submitted": "ingediend, nog niet goedgekeurd",
               "not_delivered": "niet aangeleverd"}
ENDED = Noun("moeder die het programma beëindigde", "moeders die het programma beëindigden")
STOPPED = Noun("vrijwilliger die stopte", "vrijwilligers die stopten")
SECOND = Noun("moeder van een tweede kind", "moeders van een tweede kind")
SITES_WITH_FACTS = Noun("locatie met gegevens", "locaties met gegevens")


class _Ctx:
    """The figures of this year and last year, and the sentences comparing them."""

    def __init__(self, inputs: NationalInputs):
        self.inputs = inputs
        self.year = inputs.year
        self.current = inputs.current
        self.previous = inputs.previous
        self.previous_year = inputs.year - 1

    def fig(self, variable: str, category: str = "all") -> Figure | None:
        return self.current.get(variable, category)

    def prev(self, variable: str, category: str = "all") -> Figure | None:
        p = self.previous
        if p is None or p.figures is None or (variable, category) in p.not_comparable:
            return None
        return p.get(variable, category)

    def prev_set(self):
        p = self.previous
        return p if p is not None and p.figures is not None else None

    def prev_total(self, variable: str):
        """Last year's total: computed figures, else the shipped series (totals only)."""
        found = self.prev(variable)
        if found is not None:
            return count_value(found)
        row = self.previous.history if self.previous is not None else None
        if row is None or row.source == "computed":
            return None
        return {"mothers.total": row.mothers, "volunteers.total": row.volunteers}.get(variable)

    def count_sentence(self, what, variable: str) -> str:
        return compare_count(what, count_value(self.fig(variable)), self.prev_total(variable),
                             year=self.year, previous_year=self.previous_year)

    def share_sentence(self, label: str, variable: str, category: str) -> str:
        return compare_share(label, share_value(self.fig(variable, category)),
                             share_value(self.prev(variable, category)),
                             year=self.year, previous_year=self.previous_year)

    def table(self, caption: str, population: str, item: str, **kw) -> Table:
        prev = self.prev_set()
        return breakdown_table(caption, self.year, population, item, self.current,
                               _Mapped(self, prev) if prev else None,
                               previous_year=self.previous_year if prev else None, **kw)

    def has_data(self) -> bool:
        return self.current.has_data


class _Mapped:
    """Last year's figures as the tables read them (not-comparable categories left out)."""

    def __init__(self, ctx: _Ctx, previous):
        self.ctx = ctx

    def get(self, variable, category="all"):
        return self.ctx.prev(variable, category)


# --- the report ---------------------------------------------------------------------------


def build_national_report(inputs: NationalInputs) -> Report:
    ctx = _Ctx(inputs)
    c = inputs.current.completeness
    # Final once every expected site is approved or marked not delivered by the office.
    concept = not c.final
    sections = [
        _introduction(ctx),
        _summary(ctx),
        _sites(ctx),
        _coordinators(ctx),
        _mothers(ctx),
        _endings(ctx),
        _volunteers(ctx),
    ]
    support = paragraphs(inputs.national_support)
    if support:
        sections.append(Section("Landelijke ondersteuning", list(support)))
    sections += [_five_years(ctx), _about(ctx)]
    return Report(
        title=f"Registratie {inputs.year}",
        subtitle="Moeders Informeren Moeders (MIM): landelijk registratierapport",
        year=inputs.year, concept=concept,
        concept_note=_concept_note(ctx) if concept else None,
        sections=sections,
        colophon=[
            "Landelijk programmabureau Moeders Informeren Moeders",
            "Samengesteld uit de jaaropgaven van de MIM-locaties met MIM Registratie.",
            "Een × in een tabel is niet getoond om de privacy te beschermen.",
        ])


def sort_key(name: str) -> str:
    """Dutch alphabetical order: 's-Hertogenbosch is filed under H."""
    return name.casefold().removeprefix("'s-").removeprefix("\u2019s-")


def _names(inputs: NationalInputs, status: str) -> list[str]:
    return sorted((s.name for s in inputs.sites if s.status == status and not s.is_group),
                  key=sort_key)


def _concept_note(ctx: _Ctx) -> str:
    c = ctx.current.completeness
    if c.approved == 0:
        status = (f"nog geen van de {fmt_int(c.expected)} jaaropgaven over {ctx.year} is "
                  f"goedgekeurd.")
    else:
        status = (f"{fmt_int(c.approved)} van de {fmt_int(c.expected)} jaaropgaven over "
                  f"{ctx.year} {'is' if c.approved == 1 else 'zijn'} goedgekeurd.")
    parts = [f"Dit is een conceptversie: {status}"]
    provisional = _names(ctx.inputs, "provisional")
    if provisional:
        parts.append(f"Voorlopige cijfers (uit de lopende registratie) van: "
                     f"{list_phrase(provisional)}.")
    submitted = _names(ctx.inputs, "submitted")
    if submitted:
        parts.append(f"Ingediend, nog niet goedgekeurd: {list_phrase(submitted)}.")
    missing = _names(ctx.inputs, "missing")
    if missing:
        parts.append(f"Nog geen gegevens van: {list_phrase(missing)}.")
    not_delivered = without_data_phrase(ctx.inputs, ctx.year)
    if not_delivered:
        parts.append(f"Niet aangeleverd: {not_delivered}.")
    return " ".join(parts)


def without_data_phrase(inputs: NationalInputs, year: int) -> str:
    """The sites marked not delivered and why: those that ended in the year together ("A en B
    zijn eind 2014 gestopt"), the others each with the office's reason."""
    marked = [s for s in inputs.sites if s.status == "not_delivered" and not s.is_group]
    stopped = sorted((s.name for s in marked if s.stopped), key=sort_key)
    parts = []
    if stopped:
        parts.append(f"{list_phrase(stopped)} {'is' if len(stopped) == 1 else 'zijn'} "
                     f"eind {year} gestopt")
    for s in sorted((s for s in marked if not s.stopped), key=lambda s: sort_key(s.name)):
        parts.append(f"{s.name}: {s.reason}" if s.reason else s.name)
    return "; ".join(parts)


def completeness_note(ctx: _Ctx) -> str:
    """E.g. "De cijfers over 2014 komen van 23 van de 26 locaties; Emmeloord, Steenwijkerland en
    Hengelo zijn eind 2014 gestopt." """
    c = ctx.current.completeness
    sentence = completeness_sentence(c.delivered, c.expected, year=ctx.year)
    why = without_data_phrase(ctx.inputs, ctx.year)
    return f"{sentence.removesuffix('.')}; {why}." if why else sentence


# --- sections ------------------------------------------------------------------------------


def _introduction(ctx: _Ctx) -> Section:
    blocks: list = list(paragraphs(ctx.inputs.introduction))
    blocks.append(Paragraph(
        f"Dit rapport geeft de landelijke cijfers van Moeders Informeren Moeders over "
        f"{ctx.year}: de locaties en hun coördinatoren, de MIM-moeders die zij bereikten en de "
        f"vrijwilligers die de moeders bezochten. Waar het kan, staat het cijfer van "
        f"{ctx.previous_year} ernaast. Locaties kunnen hun eigen cijfers naast de landelijke "
        f"leggen met hun eigen locatierapport."))
    blocks.append(Paragraph(completeness_note(ctx)))
    if ctx.inputs.approved_only:
        blocks.append(Note("Alleen locaties met een goedgekeurde jaaropgave zijn meegeteld."))
    return Section("Inleiding", blocks)


def _summary(ctx: _Ctx) -> Section:
    items = []
    c = ctx.current.completeness
    items.append(f"Locaties: {fmt_int(c.expected)}, waarvan {fmt_int(c.delivered)} met "
                 f"gegevens.")
    coordinators = sum(len(f.coordinator_hours) for f in ctx.inputs.facts)
    if coordinators:
        items.append(f"Coördinatoren: {fmt_int(coordinators)}.")
    for label, variable in (("MIM-moeders", "mothers.total"),
                            ("Moeders die het programma beëindigden", "mothers_ended.total"),
                            ("Vrijwilligers", "volunteers.total")):
        f = ctx.fig(variable)
        if f is not None:
            items.append(f"{label}: {count_cell(f)}.")
    for label, variable in (("MIM-moeders met een migratieachtergrond",
                             "mothers.migrant_background"),
                            ("Vrijwilligers met een migratieachtergrond",
                             "volunteers.migrant_background")):
        share = share_value(ctx.fig(variable, "yes"))
        if share is not None and share is not SUPPRESSED:
            items.append(f"{label}: {fmt_pct(share)} (van wie de afkomst bekend is).")
    ratio = ratio_sentence(total_of(ctx.fig("mothers.total")),
                           total_of(ctx.fig("volunteers.total")),
                           what="moeders", per="vrijwilligers")
    blocks: list = [Paragraph(f"De belangrijkste cijfers over {ctx.year} op een rij."),
                    BulletList(items)]
    if ratio:
        blocks.append(Paragraph(ratio))
    return Section("Samenvatting", blocks)


def _sites(ctx: _Ctx) -> Section:
    inputs = ctx.inputs
    c = ctx.current.completeness
    previous_expected = len(inputs.previous_sites) if inputs.previous_sites else None
    blocks: list = [Paragraph(compare_count("locaties", c.expected, previous_expected,
                                            year=ctx.year, previous_year=ctx.previous_year))]
    by_organisation: dict[str, list[str]] = defaultdict(list)
    for s in sorted(inputs.sites, key=lambda s: sort_key(s.name)):
        if not s.is_group:
            by_organisation[s.organisation].append(s.name)
    if by_organisation:
        blocks.append(Paragraph(
            f"De locaties vallen onder {count_noun(len(by_organisation), 'organisaties')}:"))
        blocks.append(BulletList([f"{org}: {list_phrase(names)}" for org, names in sorted(
            by_organisation.items(), key=lambda kv: sort_key(kv[0]))]))
    if inputs.previous_sites:
        current = {s.code for s in inputs.sites}
        new = sorted((s.name for s in inputs.sites
                      if s.code not in inputs.previous_sites and not s.is_group), key=sort_key)
        stopped = sorted((name for code, name in inputs.previous_sites.items()
                          if code not in current), key=sort_key)
        blocks.append(Paragraph(
            f"Nieuw in {ctx.year}: {list_phrase(new)}." if new
            else f"Er zijn in {ctx.year} geen nieuwe locaties bijgekomen."))
        blocks.append(Paragraph(
            f"Gestopt na {ctx.previous_year}: {list_phrase(stopped)}." if stopped
            else f"Geen enkele locatie van {ctx.previous_year} is gestopt."))
    blocks.append(Paragraph(completeness_sentence(c.delivered, c.expected, year=ctx.year)))
    rows = []
    # A site under 10 mothers is in the table only inside its merged group, which comes last.
    listed = sorted((s for s in inputs.sites if not s.group),
                    key=lambda s: (s.is_group, sort_key(s.name)))
    for s in listed:
        figures = s.figures
        name = f"{s.name} ({list_phrase(sorted(s.members, key=sort_key))})" if s.is_group \
            else s.name
        rows.append([name, STATUS_TEXT[s.status],
                     count_cell(figures.get("mothers.total")) if figures else "–",
                     count_cell(figures.get("volunteers.total")) if figures else "–"])
    if rows:
        notes = ["Voorlopig: uit de lopende registratie; de jaaropgave is nog niet "
                 "goedgekeurd."]
        if any(HIDDEN_MARK in row for row in rows):
            notes.append(HIDDEN_NOTE)
        blocks.append(Table(f"Locaties in {ctx.year}", ["Locatie", "Status", "MIM-moeders",
                                                        "Vrijwilligers"],
                            rows, notes=notes, numeric_columns=[2, 3]))
    subsections = [_target_group(ctx), _site_fact_section(
        ctx, "Financiering", "financing", "de financiering", "Een locatie kan meer dan één "
        "geldbron hebben."), _variants(ctx)]
    return Section("Locaties en organisaties", blocks, subsections=subsections)


def _facts_intro(ctx: _Ctx, what: str) -> str:
    n, expected = len(ctx.inputs.facts), len(ctx.inputs.sites)
    if n == expected:
        return f"Alle {count_noun(n, 'locaties')} hebben gegevens over {what} aangeleverd."
    return f"Over {what} zijn er gegevens van {fmt_int(n)} van de {count_noun(expected, 'locaties')}."


def _target_group(ctx: _Ctx) -> Section:
    facts = ctx.inputs.facts
    if not facts:
        return Section("Doelgroep", [Paragraph(f"Over {ctx.year} zijn er geen gegevens over de "
                                               f"doelgroep.")])
    by_text: dict[str, list[str]] = defaultdict(list)
    for f in facts:
        if f.target_group:
            by_text[f.target_group].append(f.name)
    blocks: list = [Paragraph(_facts_intro(ctx, "de doelgroep"))]
    if len(by_text) == 1:
        (text, names), = by_text.items()
        who = ("Alle locaties met gegevens omschrijven" if len(names) == len(facts)
               else f"{_cap(count_noun(len(names), 'locaties'))} omschrijven")
        blocks.append(Paragraph(f"{who} hun doelgroep als volgt:"))
        blocks.append(BulletList([text]))
    elif by_text:
        blocks.append(Paragraph("De locaties omschrijven hun doelgroep zo:"))
        blocks.append(BulletList([f"{text} ({list_phrase(names)})"
                                  for text, names in sorted(by_text.items(),
                                                            key=lambda kv: -len(kv[1]))]))
    return Section("Doelgroep", blocks)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fact_counts(facts: tuple[SiteFacts, ...], attribute: str) -> Counter:
    counts: Counter = Counter()
    for f in facts:
        counts.update(set(getattr(f, attribute)))
    return counts


def _site_fact_section(ctx: _Ctx, title: str, attribute: str, what: str, multi_note: str
                       ) -> Section:
    facts = ctx.inputs.facts
    book = codebooks.for_year(ctx.year)
    if not facts:
        return Section(title, [Paragraph(f"Over {ctx.year} zijn er geen gegevens over {what}.")])
    counts = _fact_counts(facts, attribute)
    n = len(facts)
    blocks: list = [Paragraph(_facts_intro(ctx, what))]
    ranked = [(book.label(attribute, code), k) for code, k in counts.most_common()]
    if ranked:
        parts = [f"{label} ({count_noun(k, 'locaties')}, {fmt_share(k, n)})"
                 for label, k in ranked]
        blocks.append(Paragraph(f"Genoemd: {list_phrase(parts)}. {multi_note}"))
    rows = [[book.label(attribute, code), fmt_int(counts.get(code, 0)),
             fmt_share(counts.get(code, 0), n) if counts.get(code, 0) else "0%"]
            for code in book.codes(attribute)]
    blocks.append(Table(f"{_cap(what)} in {ctx.year}",
                        ["Categorie", "Locaties", f"% van de {fmt_int(n)} locaties met gegevens"],
                        rows, numeric_columns=[1, 2]))
    return Section(title, blocks)


def _variants(ctx: _Ctx) -> Section:
    facts = ctx.inputs.facts
    book = codebooks.for_year(ctx.year)
    if not facts:
        return Section("Uitvoeringsvariant", [Paragraph(
            f"Over {ctx.year} zijn er geen gegevens over de uitvoeringsvariant.")])
    blocks: list = [Paragraph(_facts_intro(ctx, "de uitvoeringsvariant"))]
    regular = [f.name for f in facts if "regular" in f.variant]
    if regular:
        blocks.append(Paragraph(
            f"{_cap(count_noun(len(regular), 'locaties'))} "
            f"{'voert' if len(regular) == 1 else 'voeren'} het reguliere programma uit."))
    for code in book.codes("variant"):
        if code == "regular":
            continue
        names = [f.name for f in facts if code in f.variant]
        if names:
            blocks.append(Paragraph(
                f"MIM {book.label('variant', code)}: {list_phrase(names)}."))
    return Section("Uitvoeringsvariant", blocks)


def _coordinators(ctx: _Ctx) -> Section:
    facts = [f for f in ctx.inputs.facts if f.coordinator_hours]
    hours = [h for f in facts for h in f.coordinator_hours]
    blocks: list = []
    if not facts:
        blocks.append(Paragraph(f"Over {ctx.year} zijn er geen gegevens over de coördinatoren."))
        return Section("Coördinatoren", blocks)
    blocks.append(Paragraph(compare_count("coördinatoren", len(hours),
                                          ctx.inputs.previous_coordinators, year=ctx.year,
                                          previous_year=ctx.previous_year)))
    blocks.append(Paragraph(f"Dit aantal komt van {count_noun(len(facts), SITES_WITH_FACTS)}; "
                            f"wie op meer locaties werkt, telt op elke locatie mee."))
    blocks.append(Paragraph(hours_range_sentence(hours)))
    solo = sum(1 for f in facts if len(f.coordinator_hours) == 1)
    team = len(facts) - solo
    parts = []
    if solo:
        parts.append(f"op {count_noun(solo, 'locaties')} werkt één coördinator alleen")
    if team:
        parts.append(f"op {count_noun(team, 'locaties')} werken twee of meer coördinatoren "
                     f"samen")
    blocks.append(Paragraph(_cap(list_phrase(parts)) + "."))
    volunteers = total_of(ctx.fig("volunteers.total"))
    ratio = ratio_sentence(volunteers, len(hours), what="vrijwilligers", per="coördinatoren")
    if ratio and volunteers is not None:
        blocks.append(Paragraph(f"Samen begeleiden zij {count_noun(volunteers, 'vrijwilligers')}"
                                f". {ratio}"))
    backgrounds = sorted({f.coordinator_background for f in ctx.inputs.facts
                          if f.coordinator_background}, key=str.casefold)
    sub = []
    if backgrounds:
        sub.append(Section("Ervaring en opleiding", [
            Paragraph("De locaties beschrijven de ervaring en opleiding van hun coördinatoren "
                      "als volgt:"), BulletList(backgrounds)]))
    return Section("Coördinatoren", blocks, subsections=sub)


# --- mothers -------------------------------------------------------------------------------


def _site_values(ctx: _Ctx, variable: str, category: str = "all") -> dict:
    """A published figure of every delivered site the report may show, by site name."""
    values = {}
    for s in ctx.inputs.sites:
        if s.figures is None or s.status in WITHOUT_DATA or s.is_group or s.group:
            continue  # a merged group is not a site; a site inside one is not published
        values[s.name] = count_value(s.figures.get(variable, category))
    return values


def _ranked(ctx: _Ctx, population: str, item: str, *, item_text: str, persons: str,
            quote: bool = False, state_unknown: bool = True) -> str:
    variable = f"{population}.{item}"
    codes = codes_of(ctx.year, population, item)
    counts = {_quoted(label_of(ctx.year, population, item, c), quote):
              count_value(ctx.fig(variable, c)) for c in codes if c != "unknown"}
    unknown = count_value(ctx.fig(variable, "unknown")) if "unknown" in codes else 0
    base = total_of(ctx.fig(f"{population}.total"))
    if base is None or any(v is None for v in counts.values()) or unknown is None:
        return ""
    try:
        return ranked_categories_sentence(counts, item=item_text, unknown=unknown, base=base,
                                          persons=persons, state_unknown=state_unknown)
    except ValueError:
        # Figures that do not add up (never from the engine; an uploaded return could) get
        # their table but no ranking sentence, rather than no report at all.
        return ""


def _quoted(label: str, quote: bool) -> str:
    return f"'{label}'" if quote else label


def _largest_category_share(ctx: _Ctx, population: str, item: str, label: str) -> str:
    """Compare the share of this year's largest category with last year (percentage points)."""
    variable = f"{population}.{item}"
    shown = [(c, ctx.fig(variable, c)) for c in codes_of(ctx.year, population, item)
             if c != "unknown"]
    shown = [(c, f) for c, f in shown if f is not None and not f.suppressed and f.count]
    if not shown or ctx.prev_set() is None:
        return ""
    code, _ = max(shown, key=lambda cf: cf[1].count)
    name = label_of(ctx.year, population, item, code)
    return ctx.share_sentence(label.format(name=name), variable, code)


def _breakdown_section(ctx: _Ctx, title: str, population: str, item: str, *, item_text: str,
                       persons: str, share_label: str, chart: bool = False) -> Section:
    blocks: list = []
    text = _ranked(ctx, population, item, item_text=item_text, persons=persons)
    if text:
        blocks.append(Paragraph(text))
    compare = _largest_category_share(ctx, population, item, share_label)
    if compare:
        blocks.append(Paragraph(compare))
    blocks.append(ctx.table(f"{title} ({_who(population)}, {ctx.year})", population, item))
    if chart:
        made = _chart(ctx, title, population, item)
        if made:
            blocks.append(made)
    return Section(title, blocks)


def _who(population: str) -> str:
    return "MIM-moeders" if population.startswith("mothers") else "vrijwilligers"


def _chart(ctx: _Ctx, title: str, population: str, item: str) -> Chart | None:
    variable = f"{population}.{item}"
    codes = [c for c in codes_of(ctx.year, population, item) if c != "unknown"]
    labels = [label_of(ctx.year, population, item, c) for c in codes]
    series = [(str(ctx.year), [ctx.fig(variable, c) for c in codes])]
    if ctx.prev_set() is not None:
        series.append((str(ctx.previous_year), [ctx.prev(variable, c) for c in codes]))
    who = "MIM-moeders" if population.startswith("mothers") else "vrijwilligers"
    return bar_chart(f"{title}: percentage van de {who}", labels, series,
                     alt=f"Staafdiagram: {title.lower()} van de {who} in {ctx.year}"
                         f"{f' en {ctx.previous_year}' if len(series) > 1 else ''}, in procenten "
                         f"van alle {who}. De cijfers staan ook in de tabel erboven.")


def _mothers(ctx: _Ctx) -> Section:
    blocks: list = [Paragraph(ctx.count_sentence("MIM-moeders", "mothers.total"))]
    if not ctx.has_data():
        return Section("MIM-moeders", blocks)
    sites = _site_values(ctx, "mothers.total")
    if sites:
        blocks.append(Paragraph(range_sentence(sites, subject="het aantal MIM-moeders")))
    subsections = [
        _origin(ctx, "mothers", "Herkomst en migratieachtergrond", "moeders"),
        _breakdown_section(ctx, "Leeftijd", "mothers", "age_group", item_text="de leeftijd",
                           persons="moeders", chart=True,
                           share_label="het aandeel moeders in de leeftijdsgroep {name}"),
        _breakdown_section(ctx, "Opleidingsniveau", "mothers", "education",
                           item_text="het opleidingsniveau", persons="moeders",
                           share_label="het aandeel moeders met opleidingsniveau {name}"),
        _breakdown_section(ctx, "Gezinssamenstelling", "mothers", "household",
                           item_text="de gezinssamenstelling", persons="moeders",
                           share_label="het aandeel moeders in de groep '{name}'"),
        _breakdown_section(ctx, "Inkomen", "mothers", "income_source",
                           item_text="de inkomstenbron", persons="moeders",
                           share_label="het aandeel moeders met als inkomstenbron '{name}'"),
        _circumstances(ctx),
        _second_child(ctx),
    ]
    return Section("MIM-moeders", blocks, subsections=subsections)


def _origin(ctx: _Ctx, population: str, title: str, persons: str) -> Section:
    total = total_of(ctx.fig(f"{population}.total"))
    blocks: list = []
    if total is not None:
        blocks.append(Paragraph(migrant_background_sentence(
            share_value(ctx.fig(f"{population}.migrant_background", "yes")),
            count_value(ctx.fig(f"{population}.origin", "unknown")), total, persons=persons)))
    blocks.append(Paragraph(ctx.share_sentence(
        f"het aandeel {persons} met een migratieachtergrond", f"{population}.migrant_background",
        "yes")))
    # The sentence on migrant background already says how many have an unknown origin.
    ranked = _ranked(ctx, population, "origin", item_text="de afkomst", persons=persons,
                     state_unknown=False)
    if ranked:
        blocks.append(Paragraph(ranked))
    countries = ctx.fig(standard.COUNTRIES_OF_BIRTH)
    if population == "mothers" and countries is not None and countries.count \
            and total and total >= 10:
        lead = "ten minste " if not ctx.inputs.countries_complete else ""
        blocks.append(Paragraph(
            f"De moeders zijn geboren in {lead}{fmt_int(countries.count)} verschillende "
            f"landen (voor zover het geboorteland is geregistreerd)."))
    blocks.append(Note("Een migratieachtergrond betekent hier: een andere afkomst dan "
                       "Nederlands. Het percentage is berekend over wie een bekende afkomst "
                       "heeft; een onbekende afkomst telt nergens als migratieachtergrond."))
    blocks.append(ctx.table(f"Herkomst ({_who(population)}, {ctx.year})", population,
                            "origin"))
    # Charts for the mothers only: each costs rendering time, the tables carry every figure.
    made = _chart(ctx, "Herkomst", population, "origin") if population == "mothers" else None
    if made:
        blocks.append(made)
    return Section(title, blocks)


def _multi(ctx: _Ctx, population: str, item: str, label_fmt: str, persons: str,
           mentions: str, top: int = 3) -> list[str]:
    variable = f"{population}.{item}"
    codes = codes_of(ctx.year, population, item)
    figures = [ctx.fig(variable, c) for c in codes]
    base = total_of(ctx.fig(f"{population}.total"))
    if base is None or any(f is None for f in figures):
        return []
    hidden = any_hidden(figures)
    # With a hidden cell the sum of mentions is unknown: no mention shares then (text.py).
    total_mentions = SUPPRESSED if hidden else sum(f.count for f in figures)
    shown = sorted(((c, f) for c, f in zip(codes, figures, strict=True)
                    if not f.suppressed and f.count), key=lambda cf: -cf[1].count)
    out = []
    for code, f in shown[:top]:
        label = label_fmt.format(name=label_of(ctx.year, population, item, code))
        out.append(multi_answer_sentence(label, f.count, base, total_mentions, persons=persons,
                                         mentions=mentions))
    if not shown:
        out.append(f"Er zijn bij de {persons} geen {mentions} genoemd die getoond kunnen "
                   f"worden.")
    return out


def _circumstances(ctx: _Ctx) -> Section:
    blocks: list = [Paragraph("Bij de start wordt vastgelegd in welke omstandigheden moeder en "
                              "baby verkeren. Hieronder de omstandigheden die het vaakst "
                              "genoemd zijn.")]
    for text in _multi(ctx, "mothers", "mother_circumstances", "de omstandigheid '{name}'",
                       "moeders", "omstandigheden van de moeder"):
        blocks.append(Paragraph(text))
    for text in _multi(ctx, "mothers", "baby_circumstances", "de omstandigheid '{name}' bij "
                       "de baby", "moeders", "omstandigheden van de baby"):
        blocks.append(Paragraph(text))
    blocks.append(Note(multi_answer_note("moeders", "omstandigheden")))
    blocks.append(ctx.table(f"Omstandigheden van de moeder ({ctx.year})", "mothers",
                            "mother_circumstances", mentions=True))
    blocks.append(ctx.table(f"Omstandigheden van de baby ({ctx.year})", "mothers",
                            "baby_circumstances", mentions=True))
    return Section("Omstandigheden van moeder en baby", blocks)


def _second_child(ctx: _Ctx) -> Section:
    blocks: list = [Paragraph(compare_count(
        SECOND, count_value(ctx.fig("mothers.child_order", "second")),
        count_value(ctx.prev("mothers.child_order", "second")), year=ctx.year,
        previous_year=ctx.previous_year))]
    blocks.append(Paragraph(ctx.share_sentence("het aandeel moeders van een tweede kind",
                                               "mothers.child_order", "second")))
    # Rows of the publication (data standard version 2): the number of sites with any
    # second-child mother counts sites, so it is shown even where their own counts are hidden;
    # the range of shares is over the sites published on their own.
    sites_with = ctx.fig(standard.SITES_WITH_SECOND_CHILD)
    if sites_with is not None and sites_with.base:
        sentence = (f"Op {count_noun(sites_with.count, 'locaties')} van de "
                    f"{fmt_int(sites_with.base)} met gegevens zijn moeders van een tweede kind "
                    f"bereikt.")
        low, high = (ctx.fig(standard.SECOND_CHILD_SHARE, c) for c in ("min", "max"))
        if low is not None and high is not None and low.value is not None \
                and high.value is not None and low.base and low.base > 1:
            sentence += (f" Hun aandeel ligt per locatie tussen {fmt_pct(low.value)} en "
                         f"{fmt_pct(high.value)} (over de {fmt_int(low.base)} locaties waarvan "
                         f"het cijfer getoond wordt).")
        blocks.append(Paragraph(sentence))
    pregnant = ctx.share_sentence("het aandeel moeders dat bij de start zwanger was",
                                  "mothers.pregnant_at_start", "yes")
    blocks.append(Paragraph(pregnant))
    blocks.append(ctx.table(f"Welk kind ({ctx.year})", "mothers", "child_order"))
    return Section("Moeders van een tweede kind en zwangere moeders", blocks)


# --- endings, volunteers -------------------------------------------------------------------


def _endings(ctx: _Ctx) -> Section:
    blocks: list = [Paragraph(ctx.count_sentence(ENDED, "mothers_ended.total"))]
    ended = total_of(ctx.fig("mothers_ended.total"))
    if ended:
        blocks.append(Paragraph(ctx.share_sentence(
            "het aandeel van deze moeders dat het hele programma van 18 maanden afrondde",
            "mothers_ended.end_reason", "completed")))
        text = _ranked(ctx, "mothers_ended", "end_reason", item_text="de reden",
                       persons="moeders", quote=True)
        if text:
            blocks.append(Paragraph(text))
        blocks.append(ctx.table(f"Redenen van beëindiging ({ctx.year})", "mothers_ended",
                                "end_reason"))
        made = _chart(ctx, "Redenen van beëindiging", "mothers_ended", "end_reason")
        if made:
            blocks.append(made)
    return Section("Afronding en beëindiging", blocks)


def _volunteers(ctx: _Ctx) -> Section:
    blocks: list = [Paragraph(ctx.count_sentence("vrijwilligers", "volunteers.total"))]
    if not ctx.has_data():
        return Section("Vrijwilligers", blocks)
    mothers, volunteers = total_of(ctx.fig("mothers.total")), total_of(ctx.fig("volunteers.total"))
    ratio = ratio_sentence(mothers, volunteers, what="moeders", per="vrijwilligers")
    if ratio and mothers is not None and volunteers is not None:
        blocks.append(Paragraph(f"Zij bezochten samen {count_noun(mothers, 'MIM-moeders')}. "
                                f"{ratio}"))
    blocks.append(Paragraph(ctx.share_sentence(
        "het aandeel vrijwilligers dat zelf MIM-moeder is geweest",
        "volunteers.former_mim_mother", "yes")))
    subsections = [
        _origin(ctx, "volunteers", "Herkomst en migratieachtergrond", "vrijwilligers"),
        _breakdown_section(ctx, "Leeftijd", "volunteers", "age_group", item_text="de leeftijd",
                           persons="vrijwilligers",
                           share_label="het aandeel vrijwilligers in de leeftijdsgroep {name}"),
        _breakdown_section(ctx, "Opleidingsniveau", "volunteers", "education",
                           item_text="het opleidingsniveau", persons="vrijwilligers",
                           share_label="het aandeel vrijwilligers met opleidingsniveau {name}"),
        _work_experience(ctx),
        _turnover(ctx),
        _volunteer_facts(ctx),
    ]
    return Section("Vrijwilligers", blocks, subsections=subsections)


def _work_experience(ctx: _Ctx) -> Section:
    blocks: list = [Paragraph(t) for t in _multi(
        ctx, "volunteers", "work_experience", "werkervaring in '{name}'", "vrijwilligers",
        "soorten werkervaring")]
    blocks.append(ctx.table(f"Werkervaring van vrijwilligers ({ctx.year})", "volunteers",
                            "work_experience", mentions=True))
    return Section("Werkervaring", blocks)


def _turnover(ctx: _Ctx) -> Section:
    blocks: list = [Paragraph(ctx.count_sentence(STOPPED, "volunteers_stopped.total"))]
    stopped = total_of(ctx.fig("volunteers_stopped.total"))
    if stopped:
        text = _ranked(ctx, "volunteers_stopped", "end_reason", item_text="de reden",
                       persons="vrijwilligers", quote=True)
        if text:
            blocks.append(Paragraph(text))
        blocks.append(ctx.table(f"Redenen om te stoppen ({ctx.year})", "volunteers_stopped",
                                "end_reason"))
    return Section("Verloop", blocks)


def _volunteer_facts(ctx: _Ctx) -> Section:
    facts = ctx.inputs.facts
    section = _site_fact_section(ctx, "Vergoeding, overeenkomst en VOG", "reimbursement",
                                 "de vergoeding voor vrijwilligers",
                                 "Een locatie kan meer soorten vergoeding geven.")
    if facts:
        n = len(facts)
        for attribute, text, one, more in (
                ("volunteer_agreement", "Met een vrijwilligersovereenkomst", "werkt", "werken"),
                ("vog_required", "Een Verklaring Omtrent Gedrag (VOG) bij de start", "vraagt",
                 "vragen")):
            yes = sum(1 for f in facts if getattr(f, attribute) == "yes")
            unknown = sum(1 for f in facts if getattr(f, attribute) not in ("yes", "no"))
            share = f" ({fmt_share(yes, n)})" if yes else ""
            sentence = (f"{text} {one if yes == 1 else more} {fmt_int(yes)} van de "
                        f"{count_noun(n, SITES_WITH_FACTS)}{share}.")
            if unknown:
                sentence += f" Van {count_noun(unknown, 'locaties')} is dit niet bekend."
            section.blocks.append(Paragraph(sentence))
    activities = _site_fact_section(ctx, "Groepsactiviteiten", "group_activities",
                                    "de groepsactiviteiten",
                                    "Een locatie kan meer soorten activiteiten hebben.")
    section.subsections = []
    return Section(section.title, section.blocks, subsections=[activities])


# --- five years, about the figures ----------------------------------------------------------


def _five_years(ctx: _Ctx) -> Section:
    rows_in = ctx.inputs.history
    years = [r.year for r in rows_in]
    if not rows_in:
        return Section("MIM over vijf jaar", [Paragraph("Er zijn geen cijfers over eerdere "
                                                        "jaren.")])

    def cell(value, pct=False):
        if value is None:
            return "–"
        return fmt_pct(value) if pct else fmt_int(value)

    table_rows = [
        ["Locaties (actief)"] + [cell(r.sites) for r in rows_in],
        ["Locaties met gegevens"] + [cell(r.sites_with_data) for r in rows_in],
        ["MIM-moeders"] + [cell(r.mothers) for r in rows_in],
        ["% moeders met migratieachtergrond"] + [cell(r.pct_migrant_mothers, True)
                                                 for r in rows_in],
        ["Vrijwilligers"] + [cell(r.volunteers) for r in rows_in],
        ["% vrijwilligers met migratieachtergrond"] + [cell(r.pct_migrant_volunteers, True)
                                                       for r in rows_in],
    ]
    notes = [f"{r.year}: {r.display_note}" for r in rows_in if r.display_note]
    notes.append("–: geen cijfer. Cijfers tot en met 2014 komen uit de gepubliceerde "
                 "registratierapporten; latere jaren zijn berekend uit de jaaropgaven.")
    blocks: list = [
        Paragraph(f"De belangrijkste cijfers van {years[0]} tot en met {years[-1]} naast "
                  f"elkaar."),
        Table(f"MIM over vijf registratiejaren ({years[0]}–{years[-1]})",
              ["Registratiejaar", *[str(y) for y in years]], table_rows, notes=notes,
              numeric_columns=list(range(1, len(years) + 1)))]
    missing = [str(r.year) for r in rows_in if r.missing]
    if missing:
        blocks.append(Note(f"Voor {list_phrase(missing)} zijn geen cijfers beschikbaar; "
                           f"de lijn in de figuur is daar onderbroken."))
    series = [Series("MIM-moeders", [r.mothers for r in rows_in]),
              Series("Vrijwilligers", [r.volunteers for r in rows_in])]
    if any(v is not None for s in series for v in s.values):
        blocks.append(Chart(
            LineChart("MIM-moeders en vrijwilligers per jaar", years, series,
                      value_label="Aantal"),
            alt_text=f"Lijndiagram van het aantal MIM-moeders en vrijwilligers per jaar, "
                     f"{years[0]} tot en met {years[-1]}. De cijfers staan ook in de tabel "
                     f"erboven.",
            title="MIM-moeders en vrijwilligers per jaar"))
    return Section("MIM over vijf jaar", blocks)


def _about(ctx: _Ctx) -> Section:
    c = ctx.current.completeness
    blocks: list = [Paragraph(completeness_note(ctx))]
    if c.expected:
        if c.approved == 0:
            approved = (f"Van geen enkele locatie is de jaaropgave over {ctx.year} al "
                        f"goedgekeurd; er liggen dus nog geen cijfers vast.")
        elif c.approved == c.expected:
            approved = (f"Van alle {count_noun(c.expected, 'locaties')} is de jaaropgave "
                        f"goedgekeurd; de cijfers liggen vast.")
        elif c.final:
            approved = (f"Van alle {count_noun(c.approved, 'locaties')} die gegevens "
                        f"aanleverden is de jaaropgave goedgekeurd; de cijfers liggen vast.")
        else:
            approved = (f"Van {fmt_int(c.approved)} van de {count_noun(c.expected, 'locaties')}"
                        f" is de jaaropgave goedgekeurd; die cijfers liggen vast.")
        blocks.append(Paragraph(approved))
    provisional = _names(ctx.inputs, "provisional")
    if provisional:
        blocks.append(Paragraph(
            f"Voorlopig, uit de lopende registratie: {list_phrase(provisional)}. Deze cijfers "
            f"kunnen nog veranderen."))
    submitted = _names(ctx.inputs, "submitted")
    if submitted:
        blocks.append(Paragraph(f"Ingediend, nog niet goedgekeurd (nog zonder cijfers in dit "
                                f"rapport): {list_phrase(submitted)}."))
    missing = _names(ctx.inputs, "missing")
    if missing:
        blocks.append(Paragraph(f"Zonder gegevens over {ctx.year}: {list_phrase(missing)}."))
    blocks += [
        Paragraph("Een moeder telt mee in een jaar als zij in dat jaar aan het programma "
                  "deelnam, ook als zij eerder begon. Hetzelfde geldt voor vrijwilligers. "
                  "Percentages zijn afgerond op hele procenten; verschillen tussen twee "
                  "percentages staan in procentpunten."),
        Paragraph("Om de privacy te beschermen staat in de tabellen een × waar een aantal niet "
                  "getoond wordt: een klein aantal, of een aantal dat een klein aantal uit de "
                  "andere cijfers terug zou laten rekenen. Locaties met minder dan 10 moeders "
                  "staan samen als 'overige locaties'. Een verborgen cijfer wordt nergens in de "
                  "tekst genoemd."),
    ]
    return Section("Over de cijfers", blocks)


def provisional_names(inputs: NationalInputs) -> list[str]:
    return _names(inputs, "provisional")


