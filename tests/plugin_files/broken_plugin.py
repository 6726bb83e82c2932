"""A local plugin that fails to import."""

import not_a_module_that_exists  # noqa: F401
