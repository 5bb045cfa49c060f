"""Admin registrations of identity."""
