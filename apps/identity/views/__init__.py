"""Portal pages of identity, one module per area."""
