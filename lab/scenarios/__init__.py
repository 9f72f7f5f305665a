"""Experiments built on the engine: each returns plain data (records, tables) that
widgets draw and tests assert on. No Jupyter imports here."""
