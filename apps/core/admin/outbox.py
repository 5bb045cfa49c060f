"""Admin: outbox."""
