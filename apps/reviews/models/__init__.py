"""reviews models (re-exported)."""
