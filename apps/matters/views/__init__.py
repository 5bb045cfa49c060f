"""Portal and public views of matters (thin: parse, call a service or selector, render)."""
