"""The two exceptions convviz raises on purpose."""


class ConvvizError(ValueError):
    """A user-facing error: the message names the bad value and what would be valid."""


class Cancelled(Exception):
    """A computation was cancelled through its control array."""
