"""Presenting: the report laid out, escaped and written, published, and checked against gates.

``outline`` (the report laid out for the human formats), ``escape`` (tracker
text made inert per format), ``files`` (atomic writes), ``publish`` (sending a
report somewhere), ``gates`` (the ``[gates]`` limits for ``--check``).
"""
