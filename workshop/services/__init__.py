"""Use cases: load → check permission and domain rule → store in one transaction → publish."""
