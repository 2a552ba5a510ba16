"""The REST API (django-ninja)."""
