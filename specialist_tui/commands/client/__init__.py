"""The specialist's subcommands: they work on the local cache (and sync it with a hub)."""
