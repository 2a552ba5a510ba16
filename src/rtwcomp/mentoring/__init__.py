"""Mentorship: matching mentors' strengths to mentees' needs, pairs and their meetings."""
