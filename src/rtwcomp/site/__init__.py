"""Project settings, URLs, base templates and static files."""
