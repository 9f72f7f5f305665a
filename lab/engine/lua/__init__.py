"""Lua-side helpers of the scripting engine: ``sandbox.lua`` and the Python libraries."""
