"""The one exception the store raises."""


class StoreError(Exception):
    """A store could not be opened or an operation on it failed."""
