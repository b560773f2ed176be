"""Subcommands of `specialist-tui`, one module each; each module has a `register` function.

`client/` holds the specialist's commands (they work on the local cache); `hub_admin` holds the
center's `hub …` administration commands (they work on a hub database).
"""
