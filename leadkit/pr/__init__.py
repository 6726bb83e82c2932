"""The pull-request loop: ``leadkit comment`` and ``leadkit apply``.

``code_hosts`` (what a code host and a tracker must offer for writes),
``comment`` (the sticky comment's body, built and parsed), ``trust`` (whose
ticks count), ``flow`` (the two commands as a Python API).
"""
