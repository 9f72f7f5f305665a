"""server_cmds commands (being written)."""
