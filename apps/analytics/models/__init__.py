"""Models of analytics: one module per aggregate, re-exported here."""
