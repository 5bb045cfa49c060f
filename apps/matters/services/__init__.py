"""Every write of the matters app; see the modules below."""
