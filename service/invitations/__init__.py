"""Signing by link: the agreement sent to each signatory, the geheimhoudingsverklaring to an agendadeelnemer.

Links are single-use, 256-bit random, stored only as SHA-256, expiring (``settings.link_ttl_days``) and
bound to one person and one document. Public surface: ``service`` (start_round, remind, revoke,
invite_agendadeelnemer, resolve, sign_agreement, sign_declaration), ``mails`` (the Dutch e-mails),
``install(app, settings)`` (the signing pages and the mail sender on ``app.state.mail_sender``).
"""

from __future__ import annotations

from fastapi import FastAPI

from service.settings import Settings


def install(app: FastAPI, settings: Settings) -> None:
    from service.invitations.endpoints import router
    from service.mail import sender_from_settings

    if getattr(app.state, "mail_sender", None) is None:
        app.state.mail_sender = sender_from_settings(settings)
    app.include_router(router)
