"""Menu entries and inbox providers of licences."""
