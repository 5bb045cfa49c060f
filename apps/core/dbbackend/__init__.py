"""PostgreSQL backend of the platform: Django's, with a health check that costs no round trip."""
