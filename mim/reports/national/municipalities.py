"""The largest municipality: a municipality's sites together ("319 in Den Haag, over its
three sites"), from the published municipality figures."""

from __future__ import annotations

from mim.organisations.names import sort_key
from mim.reports.building import HIDDEN_NOTE, count_cell, count_value
from mim.reports.document import Paragraph, Ref, Table
from mim.reports.national.context import Ctx
from mim.reports.text import count_noun, fmt_int, list_phrase


def municipalities_blocks(ctx: Ctx) -> list:
    """The largest municipality's sentence and the table of municipalities it points to (the
    mothers of each municipality's sites together, as published)."""
    sentence = largest_municipality_sentence(ctx)
    if not sentence:
        return []
    rows = [[m.name, fmt_int(m.sites), count_cell(m.mothers) if m.mothers is not None else "–"]
            for m in sorted(ctx.inputs.municipalities, key=lambda m: sort_key(m.name))]
    notes = [HIDDEN_NOTE] if any(row[2] == "×" for row in rows) else []
    table = Table(f"MIM-moeders per gemeente ({ctx.year})", ["Gemeente", "Locaties",
                                                             "MIM-moeders"],
                  rows, notes=notes, numeric_columns=[1, 2])
    return [Paragraph(sentence, refs=(Ref(table),)), table]


def largest_municipality_sentence(ctx: Ctx) -> str:
    """E.g. "Per gemeente bereikte Den Haag met haar locaties samen de meeste MIM-moeders: 319,
    op 3 locaties."

    Only where some municipality has more than one site (otherwise the largest site says it
    already), over the municipalities whose total is published; a hidden total could be
    anywhere, so the sentence then says it covers the shown ones only."""
    rows = ctx.inputs.municipalities
    if not any(m.sites > 1 for m in rows):
        return ""
    counts = {m.name: count_value(m.mothers) for m in rows if m.mothers is not None}
    shown = {name: n for name, n in counts.items() if isinstance(n, int)}
    if not shown or max(shown.values()) == 0:
        return ""
    top = max(shown.values())
    names = sorted((name for name, n in shown.items() if n == top), key=sort_key)
    sites = {m.name: m.sites for m in rows}
    lead = ("Van de gemeenten waarvan het aantal getoond wordt, bereikte"
            if len(shown) < len(counts) else "Per gemeente bereikte")
    if len(names) == 1:
        name = names[0]
        return (f"{lead} {name} met haar locaties samen de meeste MIM-moeders: "
                f"{fmt_int(top)}, op {count_noun(sites[name], 'locaties')}.")
    return (f"{lead.removesuffix('e')}en {list_phrase(names)} elk met hun locaties samen de "
            f"meeste MIM-moeders: {fmt_int(top)}.")
