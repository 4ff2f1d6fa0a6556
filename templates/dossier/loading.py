"""Reading a dossier from YAML or JSON text, with Dutch errors that name the line or the field."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from pydantic import ValidationError

from templates.dossier.model import Dossier
from templates.errors import DossierInvalid, Problem

MAX_DOSSIER_BYTES = 2_000_000
MAX_EXPANDED_NODES = 500_000  # YAML anchors/aliases may not expand a small file into a huge structure
MAX_DEPTH = 64  # nesting of objects and lists; a real dossier is about 10 deep
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")

_MESSAGES = {
    "missing": "is verplicht",
    "extra_forbidden": "is geen bekend veld",
    "string_type": "moet tekst zijn",
    "int_parsing": "moet een geheel getal zijn",
    "int_type": "moet een geheel getal zijn",
    "int_from_float": "moet een geheel getal zijn",
    "bool_parsing": "moet ja of nee (true/false) zijn",
    "bool_type": "moet ja of nee (true/false) zijn",
    "date_from_datetime_parsing": "moet een datum zijn (JJJJ-MM-DD)",
    "date_from_datetime_inexact": "moet een datum zijn (JJJJ-MM-DD)",
    "date_parsing": "moet een datum zijn (JJJJ-MM-DD)",
    "date_type": "moet een datum zijn (JJJJ-MM-DD)",
    "decimal_parsing": "moet een bedrag zijn",
    "decimal_type": "moet een bedrag zijn",
    "decimal_max_places": "heeft te veel decimalen (ten hoogste 2)",
    "decimal_max_digits": "is te groot",
    "literal_error": "heeft geen toegestane waarde",
    "string_pattern_mismatch": "heeft niet de juiste vorm",
    "string_too_long": "is te lang",
    "string_too_short": "mag niet leeg zijn",
    "list_type": "moet een lijst zijn",
    "dict_type": "moet een object zijn",
    "model_type": "moet een object zijn",
    "model_attributes_type": "moet een object zijn",
    "greater_than_equal": "is te klein",
    "too_short": "mag niet leeg zijn (noem ten minste één waarde, bv. de sleutel van de bepaling)",
    "less_than_equal": "is te groot",
}


def _message(error: Any) -> str:
    kind = str(error.get("type", ""))
    base = _MESSAGES.get(kind)
    if base is None:
        base = str(error.get("msg", "is ongeldig")).removeprefix("Value error, ")
    ctx = error.get("ctx") or {}
    if kind == "literal_error" and "expected" in ctx:
        base += f" (toegestaan: {ctx['expected']})"
    if kind in ("greater_than_equal", "less_than_equal") and ctx:
        limit = ctx.get("ge", ctx.get("le"))
        base += f" (grens: {limit})"
    return base


def _path(loc: tuple[Any, ...]) -> str:
    return (
        ".".join(str(p) for p in loc if not (isinstance(p, str) and p.startswith("function-"))) or "dossier"
    )


def problems_from_validation(exc: ValidationError) -> list[Problem]:
    out: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for e in exc.errors(include_url=False):
        path, message = _path(tuple(e.get("loc", ()))), _message(e)
        if (path, message) not in seen:
            seen.add((path, message))
            out.append(Problem(path, message, code=str(e.get("type", "ongeldig"))))
    return out


def parse_dossier_text(data: bytes | str, source_name: str = "dossier", syntax: str | None = None) -> Any:
    """YAML or JSON text to plain data; syntax errors name the line. ``syntax`` ("json" or "yaml") fixes
    the language; by default text starting with ``{`` is read as JSON, anything else as YAML."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_DOSSIER_BYTES:
        raise DossierInvalid(
            f"{source_name} is te groot ({len(raw)} bytes; ten hoogste {MAX_DOSSIER_BYTES}).",
            [Problem("dossier", "het bestand is te groot", code="te_groot")],
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DossierInvalid(
            f"{source_name} is geen UTF-8-tekst (byte {exc.start}).",
            [Problem("dossier", "het bestand is geen UTF-8-tekst", code="codering")],
        ) from None
    try:
        data = _parse(text, source_name, syntax)
        too_deep = _too_deep(data)
    except (RecursionError, _TooDeep):
        too_deep = True
    if too_deep:
        raise DossierInvalid(
            f"{source_name} is te diep genest (ten hoogste {MAX_DEPTH} niveaus van objecten en lijsten).",
            [Problem("dossier", f"te diep genest (ten hoogste {MAX_DEPTH} niveaus)", code="te_diep")],
        ) from None
    path = _oversized(data)
    if path is not None:
        raise DossierInvalid(
            f"{source_name} voldoet niet aan het dossiermodel — {path}: wordt te groot door herhaalde "
            "ankers (aliases).",
            [Problem(path, "te groot na het uitvouwen van ankers (aliases)", code="te_groot")],
        )
    return data


def _oversized(data: Any) -> str | None:
    """The top-level field that YAML aliases expand beyond MAX_EXPANDED_NODES values, or None."""
    memo: dict[int, int] = {}

    def size(value: Any) -> int:
        if not isinstance(value, (list, dict)):
            return 1
        key = id(value)
        if key in memo:
            return memo[key]
        memo[key] = 1  # a cycle counts once
        children = value.values() if isinstance(value, dict) else value
        total = 1 + sum(size(v) for v in children)
        memo[key] = min(total, MAX_EXPANDED_NODES + 1)
        return memo[key]

    if size(data) <= MAX_EXPANDED_NODES:
        return None
    if isinstance(data, dict) and data:
        return str(max(data, key=lambda k: size(data[k])))
    return "dossier"


class _TooDeep(Exception):
    """Nesting beyond MAX_DEPTH: refused before any recursive step (parser, model, renderer) sees it."""


class _DepthLimitedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing nesting beyond MAX_DEPTH while composing (composing recurses)."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH + 1:
                raise _TooDeep
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _json_too_deep(text: str) -> bool:
    """Bracket depth of JSON text outside strings, without parsing (the C parser recurses)."""
    depth = 0
    for m in _JSON_BRACKET.finditer(_JSON_STRING.sub("", text)):
        depth += 1 if m.group() in "[{" else -1
        if depth > MAX_DEPTH:
            return True
    return False


def _too_deep(data: Any) -> bool:
    """Depth of the parsed value (aliases included), walked without recursion."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > MAX_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _parse(text: str, source_name: str, syntax: str | None = None) -> Any:
    stripped = text.lstrip()
    if syntax == "json" or (syntax is None and (stripped.startswith("{") or stripped.startswith("["))):
        if _json_too_deep(text):
            raise _TooDeep
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            msg = f"{source_name}: ongeldige JSON op regel {exc.lineno}, kolom {exc.colno}: {exc.msg}"
            raise DossierInvalid(
                msg, [Problem(f"regel {exc.lineno}", f"ongeldige JSON: {exc.msg}", code="syntaxis")]
            ) from None
    try:
        return yaml.load(text, Loader=_DepthLimitedLoader)  # noqa: S506 (a SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        col = mark.column + 1 if mark is not None else 0
        reason = exc.problem or "onleesbare YAML"
        msg = f"{source_name}: ongeldige YAML op regel {line}, kolom {col}: {reason}"
        raise DossierInvalid(
            msg, [Problem(f"regel {line}", f"ongeldige YAML: {reason}", code="syntaxis")]
        ) from None
    except yaml.YAMLError as exc:
        raise DossierInvalid(
            f"{source_name}: ongeldige YAML: {exc}", [Problem("dossier", "ongeldige YAML", code="syntaxis")]
        ) from None


def dossier_from_data(data: Any, source_name: str = "dossier") -> Dossier:
    if not isinstance(data, dict):
        raise DossierInvalid(
            f"{source_name}: een dossier is een object met velden (id, title, parties, …).",
            [Problem("dossier", "moet een object zijn", code="model_type")],
        )
    old = version_1_problems(data)
    if old:
        raise DossierInvalid(
            f"{source_name} is een dossier van schema_version 1; voeg het rechtsmodel toe — "
            + "; ".join(f"{p.path}: {p.message}" for p in old),
            old,
        )
    try:
        return Dossier.model_validate(data)
    except ValidationError as exc:
        problems = problems_from_validation(exc)
        summary = "; ".join(f"{p.path}: {p.message}" for p in problems[:5])
        more = f" (en {len(problems) - 5} meer)" if len(problems) > 5 else ""
        raise DossierInvalid(
            f"{source_name} voldoet niet aan het dossiermodel — {summary}{more}", problems
        ) from None


_TERM_KINDS = {"na_evaluatie": "verlenging_na_evaluatie", "stilzwijgend": "stilzwijgend", "geen": "vast"}


def version_1_problems(data: dict[str, Any]) -> list[Problem]:
    """A dossier written before the legal model (schema_version 1, no ``legal``): what to add and move.

    Not migrated automatically: what the covenant establishes, and in which article, is the author's
    reading of the text (an upgrade could only guess the keys)."""
    if "legal" in data and data.get("schema_version") != 1:
        return []
    out: list[Problem] = []
    if data.get("schema_version", 1) == 1:
        out.append(
            Problem(
                "schema_version",
                "versie 1 wordt niet meer gelezen: zet schema_version op 2 nadat u 'legal' hebt toegevoegd",
                code="rechtsmodel_ontbreekt",
            )
        )
    if "legal" not in data:
        out.append(
            Problem(
                "legal",
                "ontbreekt: beschrijf wat het convenant vastlegt — legal.roles (de rollen met hun "
                "definitie), legal.grounds (grondslagen), legal.conditions (voorwaarden), legal.flows "
                "(gegevensstromen: welke gegevens van welke rollen naar welke rollen, op welke grondslag, "
                "onder welke voorwaarden), legal.prohibitions, legal.term (de looptijdregel), "
                "legal.retention (bewaartermijn) en legal.besluit — elk met 'source': de sleutels van de "
                "artikelen, leden of bijlagen die het vastleggen (zie docs/dossier.md, 'Het rechtsmodel')",
                code="rechtsmodel_ontbreekt",
            )
        )
    term = data.get("term") if isinstance(data.get("term"), dict) else {}
    assert isinstance(term, dict)
    if "renewal" in term:
        kind = _TERM_KINDS.get(str(term["renewal"]), "…")
        out.append(
            Problem(
                "term.renewal",
                f"verplaatst naar legal.term.kind ('{term['renewal']}' wordt '{kind}'), met "
                "legal.term.source: de bepaling over looptijd en verlenging",
                code="rechtsmodel_ontbreekt",
            )
        )
    for name, target in (
        ("renewal_years", "legal.term.renewal_years"),
        ("objection", "legal.term.objection"),
    ):
        if name in term:
            out.append(Problem(f"term.{name}", f"verplaatst naar {target}", code="rechtsmodel_ontbreekt"))
    return out


def load_dossier(data: bytes | str, source_name: str = "dossier") -> Dossier:
    """Read and validate a dossier (YAML or JSON). Raises DossierInvalid with Dutch problems; for YAML
    the message of each problem also names its line."""
    parsed = parse_dossier_text(data, source_name)
    try:
        return dossier_from_data(parsed, source_name)
    except DossierInvalid as exc:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        exc.problems = with_line_numbers(text, exc.problems)
        raise


def with_line_numbers(text: str, problems: list[Problem]) -> list[Problem]:
    """Add "(regel N)" to each problem whose dotted path can be found in the YAML/JSON text."""
    try:
        root = yaml.compose(text)
    except (yaml.YAMLError, RecursionError):
        return problems
    out = []
    for p in problems:
        line = _line_of(root, p.path.split(".")) if root is not None else None
        out.append(Problem(p.path, f"{p.message} (regel {line})", p.severity, p.code) if line else p)
    return out


def _line_of(node: Any, parts: list[str]) -> int | None:
    line: int = node.start_mark.line + 1
    for part in parts:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            match = node.value[int(part)]
        else:
            match = None
        if match is None:
            return line
        node, line = match, int(match.start_mark.line) + 1
    return line


def dossier_json_schema() -> dict[str, Any]:
    schema = Dossier.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Convenant-dossier"
    return schema
