"""Pages of the milestones app, split by entity (reports, review, problems, letters, …)."""
