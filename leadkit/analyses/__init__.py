"""The built-in analyses, each a plugin registered through ``register_analyses``."""
