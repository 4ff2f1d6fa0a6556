"""Consistency check of a dossier: pure rules over the model, each finding a ``Problem`` with the dotted
path of the offending field, a Dutch message that names the field and the reason, a severity
("fout" blocks generation and signing; "waarschuwing" is for the author to weigh) and a machine code.

The rules:

- inline markup (``[[ref:…]]``, ``[[partij:…]]``, ``[[voetnoot:…]]``, ``[[waarde:…]]``) names an existing key,
  and reference keys are unique (both from ``templates.numbering``, the same index the renderer uses);
- keys of parties, signatories, documents, categories, uses, grounds and budget lines are unique;
- every party that appears in the text, the considerations (``[[partij:…]]``, the generated list of
  parties) or among the besluit's recipients has a signature block;
- every signatory signs as representative (the party's representative role) or under a mandate that exists,
  covers the agreement, was given before the signing date and had not expired on it;
- the term ends after it starts, its duration and end date agree, the cover's period matches it, and a
  start before the signing date is intended (``retroactive``);
- a date typed into the text is one of the dossier's dates (otherwise it should be a ``[[waarde:…]]``);
- the budget lines fit in the available amount, the remainder is not negative;
- the laws the dossier names are known (``templates/laws.yaml`` or described in the dossier) and were in
  force on the agreement's date; a text does not name a law that had been repealed on its document's date
  (the Wbp after 25 May 2018, the Wmo before 2015's Wmo 2015, ...);
- the besluit names categories and uses, its recipients are parties, and it does not end before the
  agreement;
- the geheimhoudingsverklaring offers at least one ground;
- each signatory has an e-mail address (needed for online signing);
- what becomes a document's title, author or subject property fits in the 255 characters DOCX allows;
- the legal model is complete (``templates.legalcheck``): every key it cites exists, every flow has a legal
  ground, conditions and flows name known roles, grounds, conditions and categories, the term rule has what
  its kind needs;
- a document does not cite a date after its own date (the besluit citing the later signing date) unless the
  author says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta

from templates.budget import compute_budget
from templates.documents import AGREEMENT
from templates.dossier.legal import add_years
from templates.dossier.mandates import MandateDefect, mandate_defects
from templates.dossier.model import Body, Dossier, Item, Party, Signatory
from templates.dossier.values import besluit_last_day
from templates.errors import Problem
from templates.formatting import MONTHS, format_date, format_money, years_phrase
from templates.laws import law_dates, law_problems
from templates.legalcheck import legal_problems
from templates.numbering import MARKUP, iter_texts, markup_problems

AGREEMENT_DOCUMENT = AGREEMENT  # what a mandate must cover for a signatory of the agreement
_DUTCH_DATE = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})\b", re.IGNORECASE)
_PERIOD = re.compile(r"\b((?:19|20)\d{2})\s*[–-]\s*((?:19|20)\d{2})\b")
_ARTICLES = {"de", "het", "een"}

ERROR = "fout"
WARNING = "waarschuwing"


def check_dossier(dossier: Dossier) -> list[Problem]:
    """Every consistency problem of the dossier: errors first, then warnings, each in dossier order."""
    problems: list[Problem] = []
    problems += markup_problems(dossier)
    problems += _duplicate_keys(dossier)
    problems += _parties_without_signature(dossier)
    problems += _signatories(dossier)
    problems += _mandates(dossier)
    problems += _term(dossier)
    problems += _typed_dates(dossier)
    problems += _budget(dossier)
    problems += _laws(dossier)
    problems += _besluit(dossier)
    problems += _declaration(dossier)
    problems += _document_properties(dossier)
    problems += _version(dossier)
    problems += legal_problems(dossier)
    problems += _later_dates(dossier)
    return [p for p in problems if p.severity == ERROR] + [p for p in problems if p.severity != ERROR]


# --------------------------------------------------------------------------------------------- keys
def _duplicates(entries: Iterable[tuple[str, str]], what: str) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for key, path in entries:
        if key in seen:
            yield Problem(
                path,
                f"de sleutel '{key}' van {what} komt al voor in {seen[key]}; sleutels moeten uniek zijn",
                ERROR,
                "dubbele_sleutel",
            )
        else:
            seen[key] = path


def _item_keys(items: list[Item], path: str) -> Iterator[tuple[str, str]]:
    for i, item in enumerate(items):
        if item.key:
            yield item.key, f"{path}.{i}.key"
        yield from _item_keys(item.items, f"{path}.{i}.items")


def _duplicate_keys(d: Dossier) -> list[Problem]:
    """Keys outside the reference index (which ``markup_problems`` already checks)."""
    out: list[Problem] = []
    out += _duplicates(((p.key, f"parties.{i}.key") for i, p in enumerate(d.parties)), "een partij")
    out += _duplicates(
        (
            (s.key, f"parties.{i}.signatories.{j}.key")
            for i, p in enumerate(d.parties)
            for j, s in enumerate(p.signatories)
        ),
        "een ondertekenaar",
    )
    documents = [(AGREEMENT_DOCUMENT, "(de overeenkomst)")]
    if d.besluit is not None:
        documents.append((d.besluit.key, "besluit.key"))
    documents += [(m.key, f"mandates.{i}.key") for i, m in enumerate(d.mandates)]
    if d.declaration is not None:
        documents.append((d.declaration.key, "declaration.key"))
    out += _duplicates(documents, "een document")
    if d.besluit is not None:
        out += _duplicates(
            ((c.key, f"besluit.categories.{i}.key") for i, c in enumerate(d.besluit.categories)),
            "een categorie politiegegevens",
        )
        out += _duplicates(
            ((c.key, f"besluit.uses.{i}.key") for i, c in enumerate(d.besluit.uses)),
            "een gebruik van politiegegevens",
        )
    if d.declaration is not None:
        out += _duplicates(
            ((g.key, f"declaration.grounds.{i}.key") for i, g in enumerate(d.declaration.grounds)),
            "een grondslag",
        )
    if d.budget is not None:
        out += _duplicates(
            (
                (ln.key, f"budget.groups.{i}.lines.{j}.key")
                for i, g in enumerate(d.budget.groups)
                for j, ln in enumerate(g.lines)
                if ln.key
            ),
            "een begrotingsregel",
        )
    # Keys of lettered items in blocks (not reference targets, but they must not be ambiguous either).
    out += _duplicates(_block_item_keys(d), "een onderdeel")
    return out


def _body_item_keys(body: Body, path: str) -> Iterator[tuple[str, str]]:
    for pi, part in enumerate(body.parts):
        for bi, block in enumerate(part.blocks or []):
            for name in ("bullets", "numbered", "lettered"):
                yield from _item_keys(getattr(block, name) or [], f"{path}.parts.{pi}.blocks.{bi}.{name}")


def _block_item_keys(d: Dossier) -> Iterator[tuple[str, str]]:
    yield from _body_item_keys(d.agreement, "agreement")
    for i, annex in enumerate(d.annexes):
        if annex.body is not None:
            yield from _body_item_keys(annex.body, f"annexes.{i}.body")
        for j, sub in enumerate(annex.annexes):
            if sub.body is not None:
                yield from _body_item_keys(sub.body, f"annexes.{i}.annexes.{j}.body")


# --------------------------------------------------------------------------------------------- parties
def _party_appearances(d: Dossier) -> dict[str, str]:
    """Party key -> path of its first appearance in the text, the considerations or the besluit."""
    seen: dict[str, str] = {}
    for path, text in iter_texts(d):
        for m in MARKUP.finditer(text):
            if m.group(1) == "partij":
                seen.setdefault(m.group(2).strip(), path)
    for path, text in iter_texts(d.agreement, "agreement"):
        if path.endswith(".generated") and text == "partijen":
            for party in d.parties:
                seen.setdefault(party.key, path)
    if d.besluit is not None:
        for i, key in enumerate(d.besluit.recipients):
            seen.setdefault(key, f"besluit.recipients.{i}")
    return seen


def _parties_without_signature(d: Dossier) -> list[Problem]:
    out: list[Problem] = []
    appearances = _party_appearances(d)
    signed_for = {k for p in d.parties for s in p.signatories for k in s.also_for}
    for i, party in enumerate(d.parties):
        if party.joins_later:
            if party.signatories:
                out.append(
                    Problem(
                        f"parties.{i}.signatories",
                        f"'{party.name}' treedt later toe (joins_later) en ondertekent dus niet bij de "
                        "ondertekening: haal de ondertekenaars weg of zet joins_later uit",
                        ERROR,
                        "toetreder_met_ondertekenaar",
                    )
                )
            continue
        if party.signatories or party.key not in appearances or party.key in signed_for:
            continue
        parent = d.party(party.part_of) if party.part_of else None
        if parent is not None and parent.signatories:
            continue  # an onderdeel: the parent organisation signs for it
        out.append(
            Problem(
                f"parties.{i}.signatories",
                f"de partij '{party.name}' komt voor in {appearances[party.key]}, maar heeft geen "
                "ondertekenaar: geef een ondertekenaar (signatories) op, of haal de partij uit de tekst",
                ERROR,
                "partij_zonder_ondertekening",
            )
        )
    return out


# --------------------------------------------------------------------------------------------- signatories
def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^\wà-ÿ-]+", text.lower()) if w]


def _role_matches(represented_by: str, function: str) -> bool:
    """'de directeur-bestuurder' vs 'Directeur-bestuurder': does the function name the representative role?"""
    role = [w for w in _words(represented_by) if w not in _ARTICLES]
    func = _words(function)
    return bool(role) and bool(func) and (role[0] in func or func[0] in role)


def _signatories(d: Dossier) -> list[Problem]:
    out: list[Problem] = []
    for i, party in enumerate(d.parties):
        for j, s in enumerate(party.signatories):
            path = f"parties.{i}.signatories.{j}"
            if s.capacity == "mandaat":
                out += _signatory_under_mandate(d, party, s, path)
            else:
                out += _signatory_as_representative(party, s, path)
            for k, key in enumerate(s.also_for):
                other = d.party(key)
                if other is None or other is party or other.joins_later:
                    reason = (
                        "is geen partij"
                        if other is None
                        else "is de eigen partij"
                        if other is party
                        else "treedt later toe en ondertekent dan zelf"
                    )
                    out.append(
                        Problem(
                            f"{path}.also_for.{k}",
                            f"{s.name} tekent mede namens '{key}', maar die {reason}",
                            ERROR,
                            "mede_namens_ongeldig",
                        )
                    )
            if s.email is None:
                out.append(
                    Problem(
                        f"{path}.email",
                        f"{s.name} ({party.name}) heeft geen e-mailadres; dat is nodig "
                        "om online te ondertekenen",
                        WARNING,
                        "email_ontbreekt",
                    )
                )
    return out


def _signatory_as_representative(party: Party, s: Signatory, path: str) -> list[Problem]:
    out: list[Problem] = []
    if not party.represented_by and not s.function.strip():
        out.append(
            Problem(
                f"{path}.function",
                f"{s.name} tekent als vertegenwoordiger van '{party.name}', maar "
                "noch de partij (represented_by) noch de ondertekenaar (function) noemt een "
                "vertegenwoordigende rol",
                ERROR,
                "vertegenwoordiging_ontbreekt",
            )
        )
    elif party.represented_by and not _role_matches(party.represented_by, s.function):
        out.append(
            Problem(
                f"{path}.function",
                f"{s.name} tekent als vertegenwoordiger van '{party.name}' met de "
                f"functie '{s.function}', maar volgens de partijenlijst wordt de partij vertegenwoordigd "
                f"door '{party.represented_by}': leg vast dat de ondertekenaar die rol vervult, of laat "
                "ondertekenen met mandaat (capacity 'mandaat')",
                WARNING,
                "rol_wijkt_af",
            )
        )
    if s.mandate is not None:
        out.append(
            Problem(
                f"{path}.mandate",
                f"{s.name} tekent als vertegenwoordiger, maar er is een mandaat "
                f"'{s.mandate}' opgegeven: kies capacity 'mandaat' of laat het mandaat weg",
                WARNING,
                "mandaat_zonder_mandaatcapaciteit",
            )
        )
    return out


def _signatory_under_mandate(d: Dossier, party: Party, s: Signatory, path: str) -> list[Problem]:
    if s.mandate is None:
        return [
            Problem(
                f"{path}.mandate",
                f"{s.name} tekent voor '{party.name}' met mandaat, maar er is geen "
                "mandaatbesluit opgegeven (mandate)",
                ERROR,
                "mandaat_ontbreekt",
            )
        ]
    m = d.mandate(s.mandate)
    if m is None:
        known = ", ".join(x.key for x in d.mandates) or "geen"
        return [
            Problem(
                f"{path}.mandate",
                f"het mandaatbesluit '{s.mandate}' bestaat niet in dit dossier (bekend: {known})",
                ERROR,
                "mandaat_onbekend",
            )
        ]
    out: list[Problem] = []
    signed = d.signing.date
    defects = mandate_defects(m, s, AGREEMENT_DOCUMENT, signed)
    if MandateDefect.NOT_COVERED in defects:
        out.append(
            Problem(
                f"{path}.mandate",
                f"het mandaatbesluit '{m.key}' geeft geen bevoegdheid om de "
                f"overeenkomst te ondertekenen (documents: {', '.join(m.documents)})",
                ERROR,
                "mandaat_dekt_document_niet",
            )
        )
    if MandateDefect.NOT_YET in defects:
        out.append(
            Problem(
                f"{path}.mandate",
                f"het mandaatbesluit '{m.key}' is genomen op {format_date(m.date)}, "
                f"na de ondertekening op {format_date(signed)}; bij het tekenen bestond het mandaat nog "
                "niet",
                ERROR,
                "mandaat_na_ondertekening",
            )
        )
    if MandateDefect.EXPIRED in defects and m.valid_until is not None:
        out.append(
            Problem(
                f"{path}.mandate",
                f"het mandaatbesluit '{m.key}' gold tot en met "
                f"{format_date(m.valid_until)} en was op de datum van ondertekening "
                f"({format_date(signed)}) verlopen",
                ERROR,
                "mandaat_verlopen",
            )
        )
    if MandateDefect.OTHER_PERSON in defects:
        out.append(
            Problem(
                f"{path}.name",
                f"het mandaatbesluit '{m.key}' verleent het mandaat aan "
                f"{m.mandatary.name}, niet aan {s.name}",
                ERROR,
                "mandaat_andere_gemachtigde",
            )
        )
    if not s.on_behalf_of:
        out.append(
            Problem(
                f"{path}.on_behalf_of",
                f"{s.name} tekent met mandaat; vermeld namens wie "
                f"(on_behalf_of), bv. '{m.mandator.function}, {m.mandator.name}'",
                WARNING,
                "namens_ontbreekt",
            )
        )
    return out


# --------------------------------------------------------------------------------------------- mandates
def _mandates(d: Dossier) -> list[Problem]:
    out: list[Problem] = []
    documents = {AGREEMENT_DOCUMENT, *(m.key for m in d.mandates)}
    if d.besluit is not None:
        documents.add(d.besluit.key)
    if d.declaration is not None:
        documents.add(d.declaration.key)
    for i, m in enumerate(d.mandates):
        for j, doc in enumerate(m.documents):
            if doc not in documents:
                out.append(
                    Problem(
                        f"mandates.{i}.documents.{j}",
                        f"het mandaatbesluit noemt het onbekende document "
                        f"'{doc}' (bekend: {', '.join(sorted(documents))})",
                        ERROR,
                        "document_onbekend",
                    )
                )
        if m.valid_until is not None and m.valid_until < m.date:
            out.append(
                Problem(
                    f"mandates.{i}.valid_until",
                    f"het mandaat geldt tot {format_date(m.valid_until)}, "
                    f"vóór de datum van het mandaatbesluit ({format_date(m.date)})",
                    ERROR,
                    "einddatum_voor_begin",
                )
            )
    return out


# --------------------------------------------------------------------------------------------- term
def _term(d: Dossier) -> list[Problem]:
    out: list[Problem] = []
    t = d.term
    if t.end is not None and t.end < t.start:
        out.append(
            Problem(
                "term.end",
                f"de einddatum van de looptijd ({format_date(t.end)}) ligt vóór de "
                f"ingangsdatum ({format_date(t.start)})",
                ERROR,
                "einddatum_voor_begin",
            )
        )
    if t.end is not None and t.duration_years is not None:
        by_duration = add_years(t.start, t.duration_years)
        if by_duration != t.end:
            out.append(
                Problem(
                    "term.end",
                    f"de looptijd noemt een duur van {years_phrase(t.duration_years)} (tot "
                    f"{format_date(by_duration)}) én een einddatum {format_date(t.end)}; geef één van beide",
                    ERROR,
                    "looptijd_tegenstrijdig",
                )
            )
    if d.period_label and t.effective_end >= t.start:
        m = _PERIOD.search(d.period_label)
        ends = t.effective_end
        if m and (int(m.group(1)), int(m.group(2))) != (t.start.year, ends.year):
            out.append(
                Problem(
                    "period_label",
                    f"de periode '{d.period_label}' wijkt af van de looptijd ({format_date(t.start)} tot "
                    f"{format_date(ends)})",
                    WARNING,
                    "periode_wijkt_af",
                )
            )
    if t.start < d.signing.date and not t.retroactive:
        out.append(
            Problem(
                "term.start",
                f"de looptijd gaat in op {format_date(t.start)}, vóór de ondertekening op "
                f"{format_date(d.signing.date)}; zet 'retroactive: true' als terugwerkende kracht bedoeld "
                "is",
                WARNING,
                "terugwerkende_kracht",
            )
        )
    return out


# --------------------------------------------------------------------------------------------- dates in text
def _known_dates(d: Dossier) -> set[date]:
    known = {d.signing.date, d.term.start, d.term.effective_end, *law_dates()}
    if d.besluit is not None:
        known.add(d.besluit.date)
    for m in d.mandates:
        known.add(m.date)
        if m.valid_until is not None:
            known.add(m.valid_until)
    if d.publication is not None:
        known |= {x for x in (d.publication.date, d.publication.decision_date) if x is not None}
    return known


def _typed_dates(d: Dossier) -> list[Problem]:
    """A date typed into the text that is none of the dossier's dates drifts when the dossier changes (the
    seed's "de dato 14 februari 2018" for an agreement signed on 14 juni 2018): use [[waarde:…]]."""
    out: list[Problem] = []
    known = _known_dates(d)
    for path, text in iter_texts(d):
        for m in _DUTCH_DATE.finditer(MARKUP.sub(" ", text)):
            try:
                typed = date(int(m.group(3)), MONTHS.index(m.group(2).lower()) + 1, int(m.group(1)))
            except ValueError:
                out.append(Problem(path, f"'{m.group(0)}' is geen bestaande datum", ERROR, "datum_ongeldig"))
                continue
            if typed not in known:
                out.append(
                    Problem(
                        path,
                        f"de tekst noemt de datum {m.group(0)}, die nergens in het dossier voorkomt "
                        f"(ondertekening {format_date(d.signing.date)}); verwijs naar de datum met "
                        "[[waarde:…]], bv. [[waarde:datum_ondertekening]]",
                        WARNING,
                        "datum_los_getypt",
                    )
                )
    return out


# --------------------------------------------------------------------------------------------- budget
def _budget(d: Dossier) -> list[Problem]:
    if d.budget is None:
        return []
    out: list[Problem] = []
    b = compute_budget(d.budget)
    remainders = [
        f"budget.groups.{i}.lines.{j}"
        for i, g in enumerate(d.budget.groups)
        for j, ln in enumerate(g.lines)
        if ln.remainder
    ]
    available = f"{format_money(b.available)} ({format_money(b.per_year)} × {b.years} jaar)"
    if len(remainders) > 1:
        out.append(
            Problem(
                remainders[1] + ".remainder",
                "de begroting heeft meer dan één restregel; het restant kan maar aan één regel toekomen",
                ERROR,
                "meerdere_restregels",
            )
        )
    if b.fixed_total > b.available:
        if remainders:
            out.append(
                Problem(
                    remainders[0],
                    f"het restant is negatief: {format_money(b.available - b.fixed_total)}"
                    f"; de vaste regels ({format_money(b.fixed_total)}) zijn hoger dan het beschikbare "
                    f"bedrag van {available}",
                    ERROR,
                    "restant_negatief",
                )
            )
        else:
            # The amounts are the author's: printed as written, with the computed total; reported, not
            # blocked (the generator never changes an amount to make a total fit).
            out.append(
                Problem(
                    "budget.groups",
                    f"de begrotingsregels tellen op tot {format_money(b.fixed_total)} en "
                    f"overschrijden het beschikbare bedrag van {available} met "
                    f"{format_money(b.over_budget)}",
                    WARNING,
                    "begroting_overschreden",
                )
            )
    if d.budget.stated_total is not None and d.budget.stated_total != b.total:
        out.append(
            Problem(
                "budget.stated_total",
                f"het opgegeven totaal {format_money(d.budget.stated_total)} wijkt af van de som van de "
                f"regels, {format_money(b.total)}; de begroting drukt de som af — pas een bedrag of het "
                "totaal aan",
                WARNING,
                "totaal_wijkt_af",
            )
        )
    if not remainders and b.fixed_total < b.available:
        out.append(
            Problem(
                "budget.groups",
                f"{format_money(b.available - b.fixed_total)} van het beschikbare bedrag "
                f"van {available} is niet aan een regel toegewezen; voeg een restregel toe "
                "(remainder: true) of pas de bedragen aan",
                WARNING,
                "begroting_niet_verdeeld",
            )
        )
    return out


# --------------------------------------------------------------------------------------------- laws
def _laws(d: Dossier) -> list[Problem]:
    texts = [
        (path, MARKUP.sub(" ", text))
        for path, text in iter_texts(d)
        if not path.endswith(".key") and not path.startswith("laws.")
    ]
    return law_problems(d, lambda path: _text_date(d, path), texts)


def _text_date(d: Dossier, path: str) -> tuple[str, date]:
    """The document a text belongs to and the date it speaks on: the besluit's and a mandaatbesluit's own
    date, otherwise the agreement's signing date."""
    if path.startswith("besluit.") and d.besluit is not None:
        return "het besluit", d.besluit.date
    if path.startswith("mandates."):
        return "het mandaatbesluit", d.mandates[int(path.split(".")[1])].date
    return "de overeenkomst", d.signing.date


# --------------------------------------------------------------------------------------------- besluit
def _besluit(d: Dossier) -> list[Problem]:
    bs = d.besluit
    if bs is None:
        return []
    out: list[Problem] = []
    if not bs.categories:
        out.append(
            Problem(
                "besluit.categories",
                "het besluit noemt geen categorieën politiegegevens; artikel 20 Wpg vraagt een schriftelijke "
                "vastlegging van welke gegevens worden verstrekt",
                ERROR,
                "besluit_zonder_categorieen",
            )
        )
    if not bs.uses:
        out.append(
            Problem(
                "besluit.uses",
                "het besluit noemt niet waarvoor de ontvangers de politiegegevens mogen gebruiken",
                ERROR,
                "besluit_zonder_gebruik",
            )
        )
    if not bs.recipients:
        out.append(
            Problem(
                "besluit.recipients",
                "het besluit noemt geen ontvangers; politiegegevens mogen alleen "
                "aan de partners in het besluit worden verstrekt",
                WARNING,
                "besluit_zonder_ontvangers",
            )
        )
    for i, key in enumerate(bs.recipients):
        if d.party(key) is None:
            out.append(
                Problem(
                    f"besluit.recipients.{i}",
                    f"de ontvanger '{key}' is geen partij bij de overeenkomst; "
                    "politiegegevens mogen alleen aan partners worden verstrekt, nooit aan "
                    "agendadeelnemers of derden",
                    ERROR,
                    "ontvanger_geen_partij",
                )
            )
    last = besluit_last_day(d)  # the one computation, from the rule the dossier declares
    agreement_last = d.term.effective_end - timedelta(days=1) if d.term.end is None else d.term.effective_end
    if last < agreement_last:
        out.append(
            Problem(
                "besluit.term_years",
                f"het besluit van {format_date(bs.date)} geldt {years_phrase(bs.term_years)}, "
                f"tot en met {format_date(last)}, maar de overeenkomst loopt tot en met "
                f"{format_date(agreement_last)}; daarna mag de politie geen politiegegevens meer verstrekken "
                "tot een nieuw besluit is genomen",
                WARNING,
                "besluit_eindigt_eerder",
            )
        )
    return out


# --------------------------------------------------------------------------------------------- declaration
def _declaration(d: Dossier) -> list[Problem]:
    if d.declaration is None or d.declaration.grounds:
        return []
    return [
        Problem(
            "declaration.grounds",
            "de geheimhoudingsverklaring noemt geen grondslagen; wie haar ondertekent moet er één kiezen",
            ERROR,
            "verklaring_zonder_grondslagen",
        )
    ]


# --------------------------------------------------------------------------------------------- version
def _version(d: Dossier) -> list[Problem]:
    if d.version is None or d.version.date <= d.signing.date:
        return []
    return [
        Problem(
            "version.date",
            f"de versie is van {format_date(d.version.date)}, na de ondertekening op "
            f"{format_date(d.signing.date)}: de partijen tekenen dan een eerdere tekst",
            WARNING,
            "versie_na_ondertekening",
        )
    ]


# ------------------------------------------------------------------------------ document properties

PROPERTY_MAX = 255  # DOCX core properties (title, author, subject) hold at most 255 characters


def _document_properties(d: Dossier) -> list[Problem]:
    """Fields that become a document's title, author or subject (Office limits these to 255 characters)."""
    fields: list[tuple[str, str | None]] = [
        ("title", d.title),
        ("municipality", d.municipality or (d.region.name if d.region else None)),
        ("cooperation", d.cooperation),
    ]
    if d.besluit is not None:
        fields += [
            ("besluit.title", d.besluit.title),
            ("besluit.eenheid", d.besluit.eenheid),
            ("besluit.issuer.organisation", d.besluit.issuer.organisation),
        ]
    for i, m in enumerate(d.mandates):
        fields += [
            (f"mandates.{i}.document_title", m.document_title),
            (f"mandates.{i}.mandator.organisation", m.mandator.organisation),
            (f"mandates.{i}.mandator.function", m.mandator.function),
        ]
    if d.declaration is not None:
        fields.append(("declaration.title", d.declaration.title))
    return [
        Problem(
            path,
            f"is te lang ({len(value)} tekens); dit wordt de titel, auteur of het onderwerp van het "
            f"document en mag ten hoogste {PROPERTY_MAX} tekens hebben",
            code="string_too_long",
        )
        for path, value in fields
        if value is not None and len(value) > PROPERTY_MAX
    ]


# --------------------------------------------------------------------------------------------- later dates
_DATE_VALUES: dict[str, Callable[[Dossier], date | None]] = {
    "datum_ondertekening": lambda d: d.signing.date,
    "looptijd.start": lambda d: d.term.start,
    "looptijd.einde": lambda d: None if d.term.open_ended else d.term.effective_end,
}


def _later_dates(d: Dossier) -> list[Problem]:
    """A document must not cite a date after its own date (the besluit of 28 March citing an agreement
    "opgemaakt de dato" 14 June) unless the author says so (``legal.besluit.cites_later_dates``)."""
    out: list[Problem] = []
    allowed = d.legal.besluit is not None and d.legal.besluit.cites_later_dates
    for path, text in iter_texts(d):
        if "[[waarde:" not in text and not _DUTCH_DATE.search(text):
            continue
        own: tuple[str, date] | None = None
        if path.startswith("besluit.") and d.besluit is not None and not allowed:
            own = ("het besluit", d.besluit.date)
        elif path.startswith("mandates."):
            own = ("het mandaatbesluit", d.mandates[int(path.split(".")[1])].date)
        if own is None:
            continue
        what, on = own
        cited: list[tuple[str, date]] = []
        for m in MARKUP.finditer(text):
            if m.group(1) == "waarde" and m.group(2).strip() in _DATE_VALUES:
                value = _DATE_VALUES[m.group(2).strip()](d)
                if value is not None:
                    cited.append((m.group(0), value))
        own_dates = {f(d) for f in _DATE_VALUES.values()}  # typed copies of the dossier's own dates
        for m in _DUTCH_DATE.finditer(MARKUP.sub(" ", text)):
            try:
                typed = date(int(m.group(3)), MONTHS.index(m.group(2).lower()) + 1, int(m.group(1)))
            except ValueError:
                continue
            if typed in own_dates:
                cited.append((m.group(0), typed))
        for shown, value in cited:
            if value > on:
                out.append(
                    Problem(
                        path,
                        f"{what} is gedateerd {format_date(on)}, maar noemt de latere datum "
                        f"{format_date(value)} ({shown}); een document kan geen datum na zijn eigen datum "
                        "noemen — pas de tekst of de datum aan, of zet legal.besluit.cites_later_dates als "
                        "dat bewust zo is",
                        WARNING,
                        "datum_na_eigen_datum",
                    )
                )
    return out
