"""Signatures in the service: who may sign (registry rule), signing with the configured key, validation."""
