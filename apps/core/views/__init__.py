"""Portal pages of the kernel, one module per area."""
