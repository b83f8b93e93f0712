"""The customer pages: `pages` reads, `actions` writes (each through the one dialog)."""
