"""The built-in finding kinds, one per module, each registered through ``register_analyses``."""
