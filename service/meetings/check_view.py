"""The meeting check as ONE view model, rendered to the page and to the PDF (so they cannot differ).

Built over what ``registry.meetings.check_meeting`` returns: the same columns, the besluit status, the unknown
attendees, the expiry warnings, the ground labels (never keys) and each reason printed once per attendee.
Templates only lay out ``columns`` and each row's ``cells`` (same order).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from registry.meetings import AttendeeCheck, MeetingCheck, check_meeting, get_meeting
from registry.rules import RuleAnswer
from service.dossiers.service import get_dossier
from service.failures import ServiceError
from service.settings import Settings

COLUMNS = ("Deelnemer", "Rol", "Persoonsgegevens", "Politiegegevens", "Wat ontbreekt of te doen")


@dataclass(frozen=True)
class Cell:
    """One table cell: an optional yes/no status (with its last day), lines of text, an article, a list."""

    status: str | None = None  # "ja" | "nee"
    until: date | None = None
    lines: tuple[str, ...] = ()
    article: str | None = None
    items: tuple[str, ...] = ()
    strong: bool = False  # the first line is a name

    @property
    def ok(self) -> bool:
        return self.status == "ja"


@dataclass(frozen=True)
class Row:
    name: str
    known: bool
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Status:
    label: str  # "loopt" / "loopt niet", "van kracht" / "niet van kracht"
    ok: bool
    reason: str
    article: str


@dataclass(frozen=True)
class MeetingCheckView:
    title: str  # the meeting's title (or "Wijkoverleg <key>")
    meeting_key: str | None
    agreement_title: str
    held_on: date
    term: Status
    besluit: Status
    warnings: tuple[str, ...]
    unknown: tuple[str, ...]  # attendees not in the register, as given
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


def _label_grounds(text: str, grounds: dict[str, str]) -> str:
    """A ground key in a reason ("grondslag: vitaal-belang") becomes its label from the dossier."""
    for key, label in grounds.items():
        text = text.replace(f"grondslag: {key})", f"grondslag: {label})")
    return text


def _answer_cell(answer: RuleAnswer, seen: set[str], grounds: dict[str, str]) -> Cell:
    reason = _label_grounds(answer.reason, grounds)
    lines: tuple[str, ...] = ()
    if reason not in seen:
        seen.add(reason)
        lines = (reason,)
    article = answer.article if answer.article not in seen else None
    if article:
        seen.add(article)
    return Cell(
        status="ja" if answer.allowed else "nee",
        until=answer.until if answer.allowed else None,
        lines=lines,
        article=article,
    )


def _row(a: AttendeeCheck, grounds: dict[str, str]) -> Row:
    seen: set[str] = set()
    who = [a.name]
    if a.email and a.email != a.name:
        who.append(a.email)
    if a.organisation:
        who.append(a.organisation)
    if not a.known:
        who.append("onbekend in het register")
    personal = _answer_cell(a.personal, seen, grounds)
    police = _answer_cell(a.police, seen, grounds)
    todo: list[str] = []
    for text in (*a.missing, *a.actions, *a.warnings):
        text = _label_grounds(text, grounds)
        if text not in seen:
            seen.add(text)
            todo.append(text)
    return Row(
        a.name,
        a.known,
        (
            Cell(lines=tuple(who), strong=True),
            Cell(lines=(a.role_label,)),
            personal,
            police,
            Cell(items=tuple(todo)),
        ),
    )


def meeting_check_view(
    check: MeetingCheck, *, title: str | None = None, grounds: dict[str, str] | None = None
) -> MeetingCheckView:
    labels = grounds or {}
    warnings = tuple(dict.fromkeys(_label_grounds(w, labels) for w in check.warnings))
    return MeetingCheckView(
        title=title or (f"Wijkoverleg {check.meeting_key}" if check.meeting_key else "Wijkoverleg"),
        meeting_key=check.meeting_key,
        agreement_title=check.agreement_title,
        held_on=check.held_on,
        term=Status(
            "loopt" if check.term.allowed else "loopt niet",
            check.term.allowed,
            check.term.reason,
            check.term.article,
        ),
        besluit=Status(
            "van kracht" if check.besluit.allowed else "niet van kracht",
            check.besluit.allowed,
            check.besluit.reason,
            check.besluit.article,
        ),
        warnings=warnings,
        unknown=tuple(a.given_as for a in check.unknown),
        columns=COLUMNS,
        rows=tuple(_row(a, labels) for a in check.attendees),
    )


def ground_labels(settings: Settings, agreement_key: str) -> dict[str, str]:
    """The declaration grounds of the agreement's dossier, key -> label ({} without a stored dossier)."""

    try:
        dossier = get_dossier(settings, agreement_key)
    except ServiceError:
        return {}
    if dossier.declaration is None:
        return {}
    return {g.key: " ".join(g.label.split()) for g in dossier.declaration.grounds}


def check_view(
    db: Session, settings: Settings, ref: str, *, extra: Sequence[str] = (), on: date | None = None
) -> MeetingCheckView:
    """Run the registry's meeting check and build the view the page, the PDF and the CLI print."""
    meeting = get_meeting(db, ref)
    check = check_meeting(db, ref, extra_attendees=extra, on=on)
    return meeting_check_view(
        check, title=meeting.title, grounds=ground_labels(settings, check.agreement_key)
    )
