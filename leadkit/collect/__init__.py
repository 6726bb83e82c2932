"""Collecting: the adapter API, fetching, the local store and sync, and identity merging.

``sources`` (what an adapter is), ``http`` (the one retry and rate-limit layer),
``selection`` (what a fetch selects), ``fetch`` (the selected sources read
directly and merged), ``store`` and ``sync`` (the local store, filled
incrementally), ``identity`` (accounts merged into people).
"""
