"""registry: the subprocessor and cross-border transfer registry."""

__version__ = "0.1.0"
