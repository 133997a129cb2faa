"""Report a concern, review and decide cases, dashboard, retention and subject access."""
