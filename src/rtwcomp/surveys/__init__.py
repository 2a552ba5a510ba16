"""Importance surveys: studies, rounds, invitations, responses and their analysis."""
