"""Models of mobile: one module per aggregate, re-exported here."""
