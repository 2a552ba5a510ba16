"""Competency frameworks: versions, groups, competencies and behavioural indicators."""
