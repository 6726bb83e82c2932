"""Analysing: one team's context and indexes, finding kinds, building and ranking the report.

``context`` (what a kind's analysis receives, with shared indexes), ``kinds``
(the finding-kind API), ``build`` (every kind run per team), ``ranking`` (the
few actions that show).
"""
