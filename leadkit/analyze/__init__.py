"""Analysing: one team's context and indexes, finding kinds, building and ranking the report.

``context`` (what a kind's analysis receives, with shared indexes), ``areas``
(code areas as people own them), ``kinds``
(the finding-kind API), ``build`` (every kind run per team), ``ranking`` (the
few actions that show).
"""
