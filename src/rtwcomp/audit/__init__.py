"""Audit history: who changed a framework, a focus-group project or a study, when, and what
each field was before and after (django-simple-history records the changes; this package
shows and exports them)."""
