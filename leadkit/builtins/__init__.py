"""The built-in plugins, registered through the same hooks as third-party ones.

``file_source`` (the interchange-file source), ``kinds`` (one finding kind per
module), ``renderers`` (text, markdown, json, html), ``publishers``
(github-summary), ``pr_commands`` (``comment`` and ``apply``).
"""
