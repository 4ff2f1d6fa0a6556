"""``convenant sign`` and ``convenant verify``: sign a PDF field with the configured key; validate a PDF."""
# ruff: noqa: B008  (typer declares options as argument defaults)

from __future__ import annotations

import json
import logging
from datetime import date
from pathlib import Path

import typer

from service.clock import today
from service.commands._problems import fail
from service.failures import ServiceError
from service.settings import get_settings
from service.signatures.service import sign_for_signatory, validate_document
from service.signatures.wiring import signer_from_settings, trust_for_signing
from signing import LEVELS, SignatureRequest, SigningError, StampText, sign_pdf
from templates import TemplatesError, load_dossier

LABELS = (
    ("indication", "Uitkomst"),
    ("sub_indication", "Sub-indicatie"),
    ("ondertekenaar", "Ondertekenaar"),
    ("opgegeven_ondertekentijd", "Opgegeven tijd"),
    ("tijdstempel_ondertekentijd", "Tijdstempel"),
    ("niveau", "PAdES-niveau"),
)


def _quiet_libraries() -> None:
    # pyHanko logs validation problems with tracebacks; the report already says what is wrong.
    for name in ("pyhanko", "pyhanko_certvalidator", "fontTools"):
        logger = logging.getLogger(name)
        logger.addHandler(logging.NullHandler())
        logger.propagate = False


def _fail(message: str) -> typer.Exit:
    return fail(message, 2)  # sign/verify: exit 1 means "not all signatures valid"


def _read_pdf(path: Path, limit: int | None = None) -> bytes:
    try:
        if limit is not None and path.stat().st_size > limit:
            raise _fail(f"{path} is groter dan {limit} bytes.")
        return path.read_bytes()
    except OSError as exc:
        raise _fail(f"{path} kan niet worden gelezen ({exc.strerror}).") from exc


def print_report(report: dict, out=typer.echo) -> None:  # type: ignore[no-untyped-def,type-arg]
    signatures = report["handtekeningen"]
    if not signatures:
        out("Dit document bevat geen handtekeningen.")
        return
    for number, sig in enumerate(signatures, start=1):
        kind = "Documenttijdstempel" if sig["soort"] == "documenttijdstempel" else "Handtekening"
        out(f"{kind} {number} — veld {sig['veld']}")
        for key, label in LABELS:
            if sig.get(key):
                out(f"  {label + ':':<20} {sig[key]}")
        for i, subject in enumerate(sig["vertrouwensketen"]):  # leaf first, trust anchor last
            label = "Vertrouwensketen:" if i == 0 else ""
            out(f"  {label:<20} {'↳ ' if i else ''}{subject}")
        out(f"  {'Dekking:':<20} {sig['dekking']['omschrijving']}")
        for finding in sig["bevindingen"]:
            out(f"  {'Bevinding:':<20} {finding}")
    verdict = (
        "alle handtekeningen zijn geldig"
        if report["alles_geldig"]
        else "NIET alle handtekeningen zijn geldig"
    )
    out(f"Conclusie: {verdict} ({report['aantal_handtekeningen']} in {report['revisies']} revisies).")


def register(app: typer.Typer) -> None:
    @app.command()
    def verify(
        file: Path = typer.Argument(..., help="Het PDF-bestand."),
        as_json: bool = typer.Option(False, "--json", help="Geef het rapport als JSON."),
        online: bool = typer.Option(
            False, "--online", help="Haal ontbrekende intrekkingsgegevens (OCSP/CRL) op via het netwerk."
        ),
    ) -> None:
        """Valideer de handtekeningen in een PDF (uitkomst in EU DSS-termen). Exitcode 0: alles geldig."""
        _quiet_libraries()
        settings = get_settings()
        if online:
            settings = settings.model_copy(update={"validation_allow_fetching": True})
        data = _read_pdf(file)
        try:
            report = validate_document(data, settings).as_dict()
        except SigningError as exc:
            raise _fail(exc.message) from exc
        if as_json:
            typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            print_report(report)
        raise typer.Exit(0 if report["alles_geldig"] else 1)

    @app.command()
    def sign(
        file: Path = typer.Argument(..., help="Het PDF-bestand met lege handtekeningvelden."),
        field: str | None = typer.Option(None, "--field", help="Naam van het handtekeningveld."),
        signer: str = typer.Option(
            ..., "--signer", help="Naam van de ondertekenaar (met --dossier: diens sleutel)."
        ),
        out: Path = typer.Option(..., "--out", help="Waar het ondertekende PDF-bestand komt."),
        level: str | None = typer.Option(
            None, "--level", help="B-B, B-T, B-LT of B-LTA (standaard: instelling)."
        ),
        function: str | None = typer.Option(None, "--functie", help="Functie van de ondertekenaar."),
        organisation: str | None = typer.Option(None, "--organisatie", help="Organisatie (partij)."),
        on_behalf_of: str | None = typer.Option(None, "--namens", help="Namens wie (bij mandaat)."),
        mandate: str | None = typer.Option(
            None, "--mandaat", help="Het mandaatbesluit, bijv. 'mandaatbesluit van 11 april 2018'."
        ),
        reason: str = typer.Option("Ondertekening", "--reden", help="Reden in de handtekening."),
        place: str = typer.Option("", "--plaats", help="Plaats van ondertekening."),
        on: str | None = typer.Option(
            None, "--datum", help="Datum van ondertekening (JJJJ-MM-DD; standaard vandaag)."
        ),
        dossier_file: Path | None = typer.Option(
            None, "--dossier", help="Dossier (YAML): controleer eerst de bevoegdheid."
        ),
        party: str | None = typer.Option(None, "--partij", help="Met --dossier: de sleutel van de partij."),
        document: str = typer.Option("overeenkomst", "--document", help="Met --dossier: de documentsleutel."),
    ) -> None:
        """Onderteken één veld van een PDF met de ingestelde sleutel (PKCS#12 of PKCS#11)."""
        _quiet_libraries()
        settings = get_settings()
        if level is not None:
            if level not in LEVELS:
                raise _fail(f"--level moet een van {', '.join(LEVELS)} zijn, niet '{level}'.")
            settings = settings.model_copy(update={"signature_level": level})
        try:
            signing_day = date.fromisoformat(on) if on else today()
        except ValueError as exc:
            raise _fail(f"--datum '{on}' is geen datum (JJJJ-MM-DD).") from exc
        data = _read_pdf(file)
        try:
            if dossier_file is not None:
                if not party:
                    raise _fail("Met --dossier is --partij verplicht.")
                dossier = load_dossier(_read_pdf(dossier_file), str(dossier_file))
                result = sign_for_signatory(
                    data,
                    dossier,
                    party_key=party,
                    signatory_key=signer,
                    document=document,
                    document_title=reason if reason != "Ondertekening" else dossier.title,
                    on=signing_day,
                    settings=settings,
                )
            else:
                if not field or not function or not organisation:
                    raise _fail("Zonder --dossier zijn --field, --functie en --organisatie verplicht.")
                lvl = settings.signature_level
                request = SignatureRequest(
                    field_name=field,
                    level=lvl,
                    stamp=StampText(
                        signer,
                        function,
                        organisation,
                        on_behalf_of=on_behalf_of,
                        mandate=mandate,
                        signed_on=signing_day,
                    ),
                    reason=reason,
                    location=place,
                    tsa_url=settings.tsa_url,
                    trust=trust_for_signing(settings) if lvl in ("B-LT", "B-LTA") else None,
                )
                result = sign_pdf(data, request, signer_from_settings(settings))
        except (SigningError, TemplatesError) as exc:
            raise _fail(exc.message) from exc
        except ServiceError as exc:
            raise _fail(exc.message) from exc
        try:
            out.write_bytes(result)
        except OSError as exc:
            raise _fail(f"{out} kan niet worden geschreven ({exc.strerror}).") from exc
        typer.echo(f"Ondertekend: {out} (niveau {settings.signature_level}).")
