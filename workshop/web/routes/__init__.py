"""Routers, one per audience: public, participant, facilitator, presenter, api."""
