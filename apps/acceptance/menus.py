"""Menu entries and inbox providers of acceptance."""
