"""acceptance models."""
