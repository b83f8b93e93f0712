"""The billing tabs: `tabs` reads, `actions` writes (each through the one dialog)."""
