"""The domain: models, policy and rules. Pure Python with no I/O and no UI."""
