"""Subcommands of `specialist-tui`, one module each; each module has a `register` function."""
