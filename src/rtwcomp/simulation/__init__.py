"""A simulator of the whole competency study, and sample-size planning by simulation."""
