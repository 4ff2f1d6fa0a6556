"""The registry: who may receive or provide police data and personal data, until when, and why.

Public surface (see the submodules for details):

- ``registry.rules``    pure rule functions returning ``RuleAnswer`` (no database access).
- ``registry.errors``   ``RegistryError`` and its subclasses (Dutch ``message``, machine ``code``).
"""
