"""Menu entries and inbox providers of matters."""
