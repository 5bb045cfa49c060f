"""Menu entries and inbox providers of supervision."""
