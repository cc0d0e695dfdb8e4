"""Worries paired with goals, each goal with its own 0-10 scale (issue 25 part 2)."""
