"""The dossier editor: new dossiers (from a model, empty, or from Word), forms that change one part of a
dossier at a time, and the reference picker. Every change is stored as a new dossier version through the
same path as an upload (``service.dossiers.service.upload_and_register``), so the same checks, the same
frozen-after-signing rule and the same audit entries apply."""
