"""MULTI/EXEC/WATCH against a real server."""


def test_exec_runs_queue_without_rollback(diff):
    diff.run([
        ["SET", "a", "x"], ["MULTI"], ["FOO", "bar"], ["EXEC"],
        ["MULTI"], ["INCR", "a"], ["SET", "b", "1"], ["EXEC"], ["GET", "b"],
    ])


def test_nested_multi_and_watch_inside_multi(diff):
    diff.run([["MULTI"], ["MULTI"], ["WATCH", "k"], ["SET", "k", "1"], ["EXEC"], ["GET", "k"]])


def test_exec_discard_without_multi(diff):
    diff.run([["EXEC"], ["DISCARD"], ["MULTI"], ["DISCARD"], ["DISCARD"]])


def test_arity_error_aborts(diff):
    diff.run([["MULTI"], ["GET"], ["SET", "k", "v"], ["EXEC"], ["EXISTS", "k"]])


def test_unknown_subcommand_and_arity_messages(diff):
    diff.run([["CONFIG", "FOO"], ["CONFIG"], ["FOOBAR"], ["FOOBAR", "a", "b\r\nc"],
              ["OBJECT", "x", "y"]])
