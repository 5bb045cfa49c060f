"""reviews menu entries, inbox providers and outbox peers (filled by the reviews issue)."""
