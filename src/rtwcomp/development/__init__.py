"""Development plans: goals from gaps, activities by route, evidence, reminders, progress."""
