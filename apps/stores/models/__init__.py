"""Models of stores: one module per aggregate, re-exported here."""
