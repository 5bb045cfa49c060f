"""Portal and public pages of supervision."""
