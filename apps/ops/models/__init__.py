"""Models of ops: one module per aggregate, re-exported here."""
