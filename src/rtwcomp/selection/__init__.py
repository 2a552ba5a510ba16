"""Selection: interview guides from a role profile, candidates, interviewers' scores."""
