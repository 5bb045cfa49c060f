"""Menu entries and inbox providers of identity (user management, access requests)."""
