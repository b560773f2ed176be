"""specialist-tui: a terminal app for 832-platform regional service specialists."""

__version__ = "0.1.0"
