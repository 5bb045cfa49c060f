"""Models of servicemap: one module per aggregate, re-exported here."""
