"""licences models."""
