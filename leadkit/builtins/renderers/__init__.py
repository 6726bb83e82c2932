"""Built-in output formats, each registered through ``register_renderers``."""
