"""Persistence: RDB snapshots (``rdb.py``, with ``lzf.py`` and ``crc64.py``)."""

from .rdb import LoadResult, RdbError, dumps, load_rdb, loads, save_rdb

__all__ = ["LoadResult", "RdbError", "dumps", "load_rdb", "loads", "save_rdb"]
