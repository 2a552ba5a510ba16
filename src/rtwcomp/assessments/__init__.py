"""Stage 6, assess: organisations, people, role profiles, ratings as events, gaps."""
