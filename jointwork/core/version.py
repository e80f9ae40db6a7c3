"""The version of jointwork (the package, the plan format it writes and its outputs)."""

__version__ = "0.1.0"
