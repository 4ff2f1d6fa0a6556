"""The queries of the dossiers package: the versions of a dossier's text. The only module of
``service.dossiers`` that reads or writes rows (the signing rounds that froze a version are read through
``service.invitations.repository``)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from service.dossiers.models import DossierVersion


def save(db: Session, row: object) -> None:
    db.add(row)
    db.flush()


def versions(db: Session, dossier_id: str) -> list[DossierVersion]:
    q = select(DossierVersion).where(DossierVersion.dossier_id == dossier_id)
    return list(db.exec(q.order_by(col(DossierVersion.number))).all())


def latest_version(db: Session, dossier_id: str) -> DossierVersion | None:
    q = select(DossierVersion).where(DossierVersion.dossier_id == dossier_id)
    return db.exec(q.order_by(col(DossierVersion.number).desc()).limit(1)).first()


def version(db: Session, dossier_id: str, number: int) -> DossierVersion | None:
    q = select(DossierVersion).where(DossierVersion.dossier_id == dossier_id, DossierVersion.number == number)
    return db.exec(q).first()


def add_version(db: Session, row: DossierVersion) -> DossierVersion:
    db.add(row)
    db.flush()
    return row
