"""Signing by link: the agreement sent to each signatory, the geheimhoudingsverklaring to an agendadeelnemer.

Links are single-use, 256-bit random, stored only as SHA-256, expiring (``settings.link_ttl_days``) and
bound to one person and one document. One concept per module; callers use these:

- ``rounds``: the agreement — ``send_out`` (start a round, its invitations), ``remind``, ``cancel_round``,
  ``sign_agreement``, ``latest_round`` / ``current_links`` / ``round_events``;
- ``declarations``: the agendadeelnemer — ``invite`` (register, link, invitation), ``sign_declaration``,
  ``ground_keys``, ``prepared_declaration``;
- ``links``: the life of one link — ``resolve``, ``revoke``, ``decline``, ``receipt_event``, ``contact_of``;
- ``own_signature``, ``confirmations``: a signature made with her own certificate, and the privacy
  officer's decision when it is on another name;
- ``delivery``: the mails, sent after the commit (``send_after_commit``, ``service.mail.outbox``);
- ``storage``: where the signed files and their audit sheets live (``current_pdf``, ``audit_entry``);
- ``endpoints.install(app, settings)``: the signing pages (their mail sender comes from ``service.deps``).

Internal: ``repository`` (the only module with queries on the ``sign_*`` tables), ``files`` (atomic
writes), ``tokens``, ``codes``, ``second_factor``, ``mails`` (the Dutch texts), ``models``, ``errors``.
Nothing here imports ``service.pages`` except ``endpoints`` (the pages behind a link).
"""
