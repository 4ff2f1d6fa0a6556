"""HTTP surface of the registry: authorisation register, declarations, term events, audit verification."""
