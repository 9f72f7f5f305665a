"""Stream commands against a real redis-server 7.0 (byte-identical RESP replies).

Ids are explicit wherever a reply is compared byte for byte (the two clocks differ);
generated ids and idle times are compared structurally.
"""

from __future__ import annotations

from .harness import parse_resp


def fill(diff, key="s", n=5, start=1):
    for i in range(start, start + n):
        diff.check("XADD", key, f"{i}-1", "f", str(i), "g", "x" * i)


def test_xadd_ids_and_errors(diff):
    diff.run([
        ["XADD", "s", "1-1", "a", "1"], ["XADD", "s", "1-1", "a", "1"],
        ["XADD", "s", "1-0", "a", "1"], ["XADD", "s", "1-*", "a", "2"],
        ["XADD", "s", "5-*", "a", "3"], ["XADD", "s", "5", "a", "3"], ["XADD", "s", "6", "a", "3"],
        ["XADD", "s", "0-0", "a", "1"], ["XADD", "new", "0-0", "a", "1"], ["EXISTS", "new"],
        ["XADD", "new", "0-*", "a", "1"], ["XADD", "s", "7-1", "a"], ["XADD", "s", "7-1"],
        ["XADD", "s", "bad", "a", "1"], ["XADD", "s", "1-x", "a", "1"], ["XADD", "s", "-", "a", "1"],
        ["XADD", "s", "+", "a", "1"], ["XADD", "s", "18446744073709551616-0", "a", "1"],
        ["XADD", "s", "18446744073709551615-18446744073709551615", "a", "1"],
        ["XADD", "s", "*", "a", "1"],
        ["XADD", "s2", "NOMKSTREAM", "1-1", "a", "1"], ["EXISTS", "s2"],
        ["XADD", "s", "MAXLEN", "-1", "9-1", "a", "1"], ["XADD", "s", "MAXLEN", "x", "9-1", "a", "1"],
        ["XADD", "s", "MAXLEN", "1", "MINID", "1", "9-1", "a", "1"],
        ["XADD", "s", "LIMIT", "10", "9-1", "a", "1"],
        ["XADD", "s", "MAXLEN", "5", "LIMIT", "10", "9-1", "a", "1"],
        ["XADD", "s", "MAXLEN", "~", "5", "LIMIT", "-1", "9-1", "a", "1"],
        ["XADD", "s", "MINID", "bad", "9-1", "a", "1"],
        ["XLEN", "s"], ["XLEN", "nokey"], ["XRANGE", "s", "-", "+"],
        ["XADD", "m", "1-1", "a", "1", "b", "2"], ["XADD", "m", "00002-0001", "b", "1"],
        ["XADD", "m", " 3-1", "b", "1"], ["XADD", "m", "+4-1", "b", "1"], ["XRANGE", "m", "-", "+"],
    ])
    diff.real.command("SET", "str", "v")
    diff.client.execute([b"SET", b"str", b"v"])
    diff.run([["XADD", "str", "1-1", "a", "1"], ["XADD", "str", "bad", "a", "1"], ["XLEN", "str"],
              ["XRANGE", "str", "-", "+"], ["XDEL", "str", "bad"], ["XTRIM", "str", "bad"]])


def test_generated_ids_structural(diff):
    real = parse_resp(diff.real.command("XADD", "g", "*", "a", "1"))
    mine = diff.client.execute([b"XADD", b"g", b"*", b"a", b"1"])
    assert real.endswith(b"-0") and mine.endswith(b"-0")
    mine2 = diff.client.execute([b"XADD", b"g", b"*", b"a", b"1"])
    assert mine2 == mine[:-1] + b"1"  # same virtual millisecond: seq + 1


def test_xrange_xrevrange(diff):
    fill(diff, n=8)
    diff.run([
        ["XRANGE", "s", "-", "+"], ["XRANGE", "s", "2", "4"], ["XRANGE", "s", "(2-1", "(5-1"],
        ["XREVRANGE", "s", "+", "-"],
        ["XREVRANGE", "s", "(5-1", "2"], ["XRANGE", "s", "-", "+", "COUNT", "2"],
        ["XREVRANGE", "s", "+", "-", "COUNT", "3"], ["XRANGE", "s", "-", "+", "COUNT", "0"],
        ["XRANGE", "s", "-", "+", "COUNT", "-1"], ["XRANGE", "s", "-", "+", "COUNT"],
        ["XRANGE", "s", "-", "+", "FOO", "1"], ["XRANGE", "s", "(-", "+"], ["XRANGE", "s", "-", "(+"],
        ["XRANGE", "s", "(18446744073709551615-18446744073709551615", "+"],
        ["XRANGE", "s", "-", "(0-0"], ["XRANGE", "s", "5", "2"], ["XRANGE", "s", "x", "+"],
        ["XRANGE", "nokey", "-", "+"], ["XRANGE", "nokey", "-", "+", "COUNT", "0"],
        ["XRANGE", "s", "(", "+"], ["XRANGE", "s", "3-1", "3-1"], ["XRANGE", "s", "3", "3"],
    ])


def test_xdel_and_xinfo(diff):
    fill(diff, n=6)
    diff.run([
        ["XDEL", "s", "1-1", "3-1", "99-1"], ["XDEL", "s", "bad"], ["XDEL", "nokey", "1-1"],
        ["XLEN", "s"], ["XRANGE", "s", "-", "+"], ["XINFO", "STREAM", "s"],
        ["XINFO", "STREAM", "s", "FULL"], ["XINFO", "STREAM", "s", "FULL", "COUNT", "2"],
        ["XINFO", "STREAM", "s", "FULL", "COUNT", "0"], ["XINFO", "STREAM", "s", "FOO"],
        ["XINFO", "STREAM", "s", "FULL", "COUNT"], ["XINFO", "STREAM", "nokey"],
        ["XINFO", "HELP"], ["XINFO", "FOO", "s"], ["XINFO", "GROUPS", "s"],
        ["XDEL", "s", "2-1", "4-1", "5-1", "6-1"], ["XINFO", "STREAM", "s"], ["XLEN", "s"],
        ["EXISTS", "s"], ["TYPE", "s"], ["OBJECT", "ENCODING", "s"],
    ])


def test_trimming_exact_and_approx(diff):
    for i in range(1, 351):
        diff.check("XADD", "t", f"{i}-0", "field", "v" * (i % 7))
    diff.run([
        ["XINFO", "STREAM", "t"], ["XTRIM", "t", "MAXLEN", "~", "320"], ["XLEN", "t"],
        ["XTRIM", "t", "MAXLEN", "~", "150"], ["XLEN", "t"], ["XTRIM", "t", "MINID", "~", "230"],
        ["XLEN", "t"], ["XTRIM", "t", "MAXLEN", "=", "95"], ["XLEN", "t"], ["XINFO", "STREAM", "t"],
        ["XTRIM", "t", "MINID", "300"], ["XRANGE", "t", "-", "+", "COUNT", "3"],
        ["XTRIM", "t", "MAXLEN", "~", "10", "LIMIT", "5"], ["XLEN", "t"],
        ["XTRIM", "t", "MAXLEN", "10", "LIMIT", "5"], ["XTRIM", "t"], ["XTRIM", "t", "FOO", "1"],
        ["XTRIM", "t", "MAXLEN", "-1"], ["XTRIM", "nokey", "MAXLEN", "1"], ["XTRIM", "nokey", "FOO"],
        ["XTRIM", "t", "MAXLEN", "0"], ["XLEN", "t"], ["XINFO", "STREAM", "t"],
    ])
    # big values: byte-bounded nodes
    for i in range(1, 40):
        diff.check("XADD", "b", f"{i}-0", "f", "x" * 300, "other", str(i))
    diff.run([["XINFO", "STREAM", "b"], ["XADD", "b", "MAXLEN", "~", "20", "50-0", "f", "y"],
              ["XLEN", "b"], ["XADD", "b", "MINID", "~", "30", "51-0", "f", "y"], ["XLEN", "b"],
              ["XINFO", "STREAM", "b"]])


def test_node_entries_config(diff):
    diff.check("CONFIG", "SET", "stream-node-max-entries", "5")
    for i in range(1, 23):
        diff.check("XADD", "n", f"{i}-0", "a", str(i))
    diff.run([["XINFO", "STREAM", "n"], ["XDEL", "n", "6-0", "7-0", "8-0", "9-0", "10-0"],
              ["XINFO", "STREAM", "n"], ["XTRIM", "n", "MAXLEN", "~", "12"], ["XLEN", "n"],
              ["XTRIM", "n", "MAXLEN", "~", "3", "LIMIT", "6"], ["XLEN", "n"],
              ["XADD", "n", "MAXLEN", "~", "2", "30-0", "a", "b"], ["XLEN", "n"]])


def test_xread(diff):
    fill(diff, n=4)
    diff.run([
        ["XREAD", "STREAMS", "s", "0"], ["XREAD", "COUNT", "2", "STREAMS", "s", "2-1"],
        ["XREAD", "STREAMS", "s", "nokey", "0", "0"], ["XREAD", "STREAMS", "s", "$"],
        ["XREAD", "STREAMS", "s"], ["XREAD", "STREAMS", "s", "a", "b"],
        ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "a", "b"], ["XREAD", "s", "0"],
        ["XREAD", "COUNT", "x", "STREAMS", "s", "0"], ["XREAD", "GROUP", "g", "c", "STREAMS", "s", "0"],
        ["XREAD", "NOACK", "STREAMS", "s", "0"], ["XREAD", "STREAMS", "s", ">"],
        ["XREAD", "BLOCK", "-1", "STREAMS", "s", "0"], ["XREAD", "BLOCK", "x", "STREAMS", "s", "0"],
        ["XREAD", "BLOCK", "10", "STREAMS", "s", "0"], ["XREAD", "COUNT", "-5", "STREAMS", "s", "3-1"],
        ["XREAD", "BLOCK", "10", "STREAMS", "s", "$"], ["XREAD", "STREAMS", "s", "bad"],
        ["MULTI"], ["XREAD", "BLOCK", "0", "STREAMS", "s", "$"], ["EXEC"],
        ["XREAD", "COUNT"],
    ])


def test_groups_lifecycle(diff):
    fill(diff, n=5)
    diff.run([
        ["XGROUP", "CREATE", "s", "g", "0"], ["XGROUP", "CREATE", "s", "g", "0"],
        ["XGROUP", "CREATE", "s", "g2", "$"], ["XGROUP", "CREATE", "s", "g3", "bad"],
        ["XGROUP", "CREATE", "nokey", "g", "0"], ["XGROUP", "CREATE", "mk", "g", "$", "MKSTREAM"],
        ["XINFO", "STREAM", "mk"], ["XGROUP", "CREATE", "s", "g4", "3", "ENTRIESREAD", "3"],
        ["XGROUP", "CREATE", "s", "g5", "3", "ENTRIESREAD", "-2"],
        ["XGROUP", "CREATE", "s", "g5", "3", "FOO"], ["XGROUP", "CREATE", "s", "g5", "3", "ENTRIESREAD"],
        ["XINFO", "GROUPS", "s"], ["XGROUP", "CREATECONSUMER", "s", "g", "alice"],
        ["XGROUP", "CREATECONSUMER", "s", "g", "alice"], ["XGROUP", "CREATECONSUMER", "s", "nog", "x"],
        ["XGROUP", "SETID", "s", "g2", "2-1"], ["XGROUP", "SETID", "s", "g2", "$", "ENTRIESREAD", "5"],
        ["XGROUP", "SETID", "s", "nog", "0"], ["XGROUP", "SETID", "s", "g2", "bad"],
        ["XGROUP", "SETID", "s", "g2", "0", "ENTRIESREAD"], ["XINFO", "GROUPS", "s"],
        ["XGROUP", "DELCONSUMER", "s", "g", "alice"], ["XGROUP", "DELCONSUMER", "s", "g", "nobody"],
        ["XGROUP", "DESTROY", "s", "g4"], ["XGROUP", "DESTROY", "s", "g4"],
        ["XGROUP", "HELP"], ["XGROUP", "FOO"], ["XGROUP", "CREATE", "s"], ["XGROUP", "DESTROY", "s"],
        ["XGROUP", "HELP", "x"],
        ["XGROUP", "CREATE", "s", "g9", "0", "MKSTREAM", "MKSTREAM", "MKSTREAM", "x"],
        ["XGROUP", "DESTROY", "nokey", "g"], ["XINFO", "GROUPS", "s"],
        ["XINFO", "CONSUMERS", "s", "nog"], ["XINFO", "GROUPS", "nokey"],
    ])


def test_readgroup_pel_ack_pending(diff):
    fill(diff, n=6)
    diff.run([
        ["XGROUP", "CREATE", "s", "g", "0"],
        ["XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">"],
        ["XREADGROUP", "GROUP", "g", "bob", "COUNT", "1", "STREAMS", "s", ">"],
        ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"],
        ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "(1-1"],
        ["XREADGROUP", "GROUP", "g", "carol", "NOACK", "COUNT", "1", "STREAMS", "s", ">"],
        ["XREADGROUP", "GROUP", "nog", "c", "STREAMS", "s", ">"],
        ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "nokey", ">"],
        ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "$"],
        ["XREADGROUP", "STREAMS", "s", ">"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s"],
        ["XPENDING", "s", "g"], ["XPENDING", "s", "nog"], ["XPENDING", "nokey", "g"],
        ["XPENDING", "s", "g", "-", "+"], ["XPENDING", "s", "g", "IDLE", "x", "-", "+", "10"],
        ["XPENDING", "s", "g", "-", "+", "x"], ["XPENDING", "s", "g", "bad", "+", "10"],
        ["XPENDING", "s", "g", "-", "+", "10", "nobody"],
        ["XACK", "s", "g", "1-1", "1-1", "9-9"], ["XACK", "s", "g", "bad"], ["XACK", "s", "nog", "1-1"],
        ["XACK", "nokey", "g", "1-1"], ["XPENDING", "s", "g"], ["XINFO", "GROUPS", "s"],
        ["XDEL", "s", "2-1"], ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"],
        ["XINFO", "GROUPS", "s"], ["XGROUP", "DELCONSUMER", "s", "g", "bob"], ["XPENDING", "s", "g"],
        ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"], ["XPENDING", "s", "g"],
        ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"],
        ["XINFO", "GROUPS", "s"],
    ])
    # idle-dependent replies: compare with the idle column masked
    r = parse_resp(diff.real.command("XPENDING", "s", "g", "-", "+", "10"))
    m = diff.client.execute([b"XPENDING", b"s", b"g", b"-", b"+", b"10"])
    assert [[x[0], x[1], x[3]] for x in r] == [[x[0], x[1], x[3]] for x in m]
    r = parse_resp(diff.real.command("XINFO", "CONSUMERS", "s", "g"))
    m = diff.client.execute([b"XINFO", b"CONSUMERS", b"s", b"g"])
    assert [x[:4] + x[4:5] for x in r] == [[k for kv in d.items() for k in kv][:5] for d in m]


def test_xclaim_xautoclaim(diff):
    fill(diff, n=6)
    diff.check("XGROUP", "CREATE", "s", "g", "0")
    diff.check("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">")
    diff.run([
        ["XCLAIM", "s", "g", "bob", "0", "1-1", "2-1", "JUSTID"],
        ["XCLAIM", "s", "g", "bob", "0", "3-1"], ["XCLAIM", "s", "g", "bob", "x", "1-1"],
        ["XCLAIM", "s", "g", "bob", "0", "1-1", "FOO"], ["XCLAIM", "s", "g", "bob", "0", "1-1", "IDLE"],
        ["XCLAIM", "s", "g", "bob", "0", "1-1", "IDLE", "x"],
        ["XCLAIM", "s", "g", "bob", "0", "1-1", "TIME", "x"],
        ["XCLAIM", "s", "g", "bob", "0", "1-1", "RETRYCOUNT", "x"],
        ["XCLAIM", "s", "g", "bob", "0", "1-1", "LASTID", "x"],
        ["XCLAIM", "s", "nog", "bob", "0", "1-1"], ["XCLAIM", "nokey", "g", "bob", "0", "1-1"],
        ["XCLAIM", "s", "g", "bob", "100000", "4-1"],
        ["XCLAIM", "s", "g", "carol", "0", "4-1", "RETRYCOUNT", "7", "JUSTID"],
        ["XPENDING", "s", "g", "4-1", "4-1", "1"][:0] or ["XPENDING", "s", "g"],
        ["XACK", "s", "g", "5-1"], ["XCLAIM", "s", "g", "bob", "0", "5-1"],
        ["XCLAIM", "s", "g", "bob", "0", "5-1", "FORCE", "JUSTID"],
        ["XCLAIM", "s", "g", "bob", "0", "99-1", "FORCE"],
        ["XCLAIM", "s", "g", "bob", "0", "6-1", "LASTID", "50-0", "JUSTID"], ["XINFO", "GROUPS", "s"],
        ["XDEL", "s", "1-1", "3-1"], ["XCLAIM", "s", "g", "dave", "0", "1-1", "2-1"],
        ["XPENDING", "s", "g"],
        ["XAUTOCLAIM", "s", "g", "erin", "0", "0", "COUNT", "2"],
        ["XDEL", "s", "4-1"],
        ["XAUTOCLAIM", "s", "g", "erin", "0", "0", "JUSTID"],
        ["XAUTOCLAIM", "s", "g", "erin", "0", "(2-1", "COUNT", "1", "JUSTID"],
        ["XAUTOCLAIM", "s", "g", "erin", "x", "0"], ["XAUTOCLAIM", "s", "g", "erin", "0", "bad"],
        ["XAUTOCLAIM", "s", "g", "erin", "0", "0", "COUNT", "0"],
        ["XAUTOCLAIM", "s", "g", "erin", "0", "0", "FOO"], ["XAUTOCLAIM", "s", "nog", "erin", "0", "0"],
        ["XAUTOCLAIM", "s", "g", "erin", "100000", "0"], ["XPENDING", "s", "g"],
    ])


def test_xsetid(diff):
    fill(diff, n=3)
    diff.run([
        ["XSETID", "s", "2-1"], ["XSETID", "s", "10-1"], ["XINFO", "STREAM", "s"],
        ["XSETID", "s", "10-1", "ENTRIESADDED", "1"], ["XSETID", "s", "10-1", "ENTRIESADDED", "-1"],
        ["XSETID", "s", "10-1", "ENTRIESADDED", "9", "MAXDELETEDID", "11-0"],
        ["XSETID", "s", "12-1", "ENTRIESADDED", "9", "MAXDELETEDID", "11-0"], ["XINFO", "STREAM", "s"],
        ["XSETID", "s", "11-0"], ["XSETID", "s", "bad"],
        ["XSETID", "nokey", "1-1"], ["XSETID", "s", "13", "FOO"],
        ["XADD", "s", "12-1", "a", "b"], ["XADD", "s", "12-2", "a", "b"],
    ])


def test_lag_and_entries_read(diff):
    fill(diff, n=5)
    diff.run([
        ["XGROUP", "CREATE", "s", "g", "0"], ["XGROUP", "CREATE", "s", "h", "$"],
        ["XREADGROUP", "GROUP", "g", "c", "COUNT", "2", "STREAMS", "s", ">"], ["XINFO", "GROUPS", "s"],
        ["XDEL", "s", "4-1"], ["XINFO", "GROUPS", "s"],
        ["XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">"], ["XINFO", "GROUPS", "s"],
        ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"], ["XINFO", "GROUPS", "s"],
        ["XADD", "s", "9-0", "a", "b"], ["XINFO", "GROUPS", "s"], ["XDEL", "s", "1-1"],
        ["XGROUP", "SETID", "s", "h", "0"], ["XINFO", "GROUPS", "s"],
        ["XTRIM", "s", "MAXLEN", "0"], ["XINFO", "GROUPS", "s"], ["XINFO", "STREAM", "s"],
    ])


def test_resp3(diff3):
    fill(diff3, n=3)
    diff3.run([
        ["XREAD", "STREAMS", "s", "0"], ["XINFO", "STREAM", "s"], ["XGROUP", "CREATE", "s", "g", "0"],
        ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"], ["XINFO", "GROUPS", "s"],
        ["XPENDING", "s", "g"], ["XREAD", "STREAMS", "s", "$"], ["XADD", "n", "NOMKSTREAM", "*", "a", "b"],
        ["XRANGE", "s", "-", "+", "COUNT", "0"],
    ])
