"""The model: what every tracker is normalised into, what analyses find, and the report.

``data`` (people, work items, reviews, the dataset), ``findings`` (findings,
suggestions, actions), ``report`` (the report as plain data), ``codec`` (the one
dataclass <-> JSON codec) and ``interchange`` (the dataset file format).
"""
