"""Report a concern, review and decide cases, dashboard (to be built by its owner)."""
