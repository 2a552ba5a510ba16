"""Stages 1 and 2 of the method: focus-group statements, unique items, card sorts."""
