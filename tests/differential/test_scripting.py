"""EVAL / EVALSHA / SCRIPT against a real server: replies, conversions, error texts."""
# ruff: noqa: E501  (Lua scripts and libraries read best on one line)

import pytest

pytest.importorskip("lupa")

SCRIPTS = [
    # Lua -> RESP conversions
    "return 1", "return 3.99", "return -3.7", "return 1e20", "return -1e20", "return 0/0",
    "return 2^53", "return true", "return false", "return nil", "return {}", "return {a=1}",
    "return 'x'", "return {1,'a',{2,false},true}", "return {1,2,nil,3}", "return {1,2.5,'x',nil,4}",
    "local t = {} for i=1,10 do t[i]=i end t[5]=nil return t",
    "return {ok='fine'}", "return {err='x'}", "return {err='-ERR  y'}", "return {err=3}", "return {ok=3}",
    "return {1,2,{err='inner'}}", "return {1,{ok='st'}}",
    "return {double=3.5}", "return {double='x'}", "return {map={a=1}}", "return {set={a=true}}",
    "return {big_number='123'}", "return {1, {double=1.5}}",
    "return redis.status_reply('a\\r\\nb')", "return {err='a\\r\\nb'}",
    # redis.* API
    "return redis.status_reply('X')", "return redis.error_reply('My err')",
    "return redis.error_reply('x')", "return redis.error_reply('-FOO bar')", "return redis.error_reply('FOO bar')",
    "return redis.error_reply('-')", "return redis.error_reply('')", "return redis.error_reply()",
    "return redis.status_reply()", "local t = redis.error_reply('-x'); return t.err",
    "return redis.sha1hex('')", "return redis.sha1hex('abc')", "return redis.sha1hex()",
    "return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}",
    "redis.log(redis.LOG_WARNING, 'hi') return 1",
    "return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL}",
    "return redis.setresp(4)", "return redis.set_repl(99)", "return redis.set_repl(redis.REPL_ALL)",
    "return redis.breakpoint()", "return redis.debug('x')", "return redis.REDIS_VERSION",
    "return redis.REDIS_VERSION_NUM",
    # redis.call / pcall
    "return redis.call('ping')", "return redis.call('set','a','b')", "return redis.call('get','a')",
    "return redis.call('get','nokey')", "return type(redis.call('get','nokey'))",
    "return redis.call('hgetall','nokey')", "return redis.call('nope')", "return redis.pcall('nope')",
    "return redis.call('get')", "return redis.pcall('get')", "return redis.call('get', 'a', 'b')",
    "return redis.call()", "return redis.call({})", "return redis.call('get', {})",
    "return redis.call('echo', 3.0)", "return redis.call('echo', 1e20)", "return redis.call('echo', 0.1)",
    "return redis.call('echo', true)", "return redis.pcall('echo', true)",
    "return redis.call('eval', 'return 1', 0)", "return redis.call('multi')",
    "return redis.call('script','load','return 1')", "return redis.call('subscribe','x')",
    "return redis.call('blpop','a',0)", "return redis.call('config')",
    "return redis.call('config', 'nosuch')",
    "redis.call('set','s','abc') return redis.pcall('incr','s')",
    "redis.call('set','s','abc') return redis.call('incr','s')",
    "redis.call('set','s','abc') return redis.call('lpush','s', 1)",
    "redis.call('set','s','abc') local r = redis.pcall('incr','s'); return type(r)..':'..r.err",
    "local ok, e = pcall(redis.call, 'nope'); return {type(e), e}",
    "redis.call('set','s','abc') local ok, e = pcall(redis.call, 'incr', 's'); return e",
    "local ok, e = pcall(function() error('zz') end); return e",
    "\n\nreturn redis.call('nope')",
    "redis.call('select', 1); return redis.call('set', 'x', 'y')",
    # errors
    "return x", "x=1", "return (", "error('boom')", "error({err='x'})", "error({err='-x'})",
    "error(redis.error_reply('x'))", "error('x', 0)", "error('FOO bar', 0)", "error(42)", "error()",
    "local function f()\n error('l2')\nend\nf()", "\nlocal x = 1\nreturn y",
    "local t = setmetatable({}, {__index=function() error('deep') end}) return t.x",
    # sandbox basics
    "return type(loadstring)", "return type(collectgarbage)", "return type(coroutine)",
    "return type(unpack)", "return type(_G)", "return type(bit)", "return type(struct)",
    "return type(cjson)", "return type(cmsgpack)", "return loadstring('return 5')()",
    "return _VERSION", "return ('x'):rep(3)", "return string.format('%d', 3)", "return tostring(1e15)",
    # math.random (the seed makes it independent of earlier scripts)
    "math.randomseed(5); return tostring(math.random())",
    "math.randomseed(7); return {math.random(100), math.random(3, 9), math.random(10)}",
    # cjson
    "return cjson.encode({1,2,3})", "return cjson.encode({a=1})", "return cjson.encode({a={b='x'}, c=1.5})",
    "return cjson.encode('a\"b/\\n')", "return cjson.encode({})", "return cjson.encode(cjson.null)",
    "return cjson.decode('[1,2,\"x\",null,true]')[4] == cjson.null and 1 or 0",
    "return cjson.decode('{\"a\":[1,2]}').a[2]", "return cjson.encode({1,nil,3})",
    "return cjson.encode({[1]=1,[3]=3})", "return cjson.encode({[1]=1,[30]=3})",
    "return cjson.encode(0.1)", "return cjson.encode(1/3)", "return cjson.encode(100)",
    "return cjson.encode(1e20)", "return cjson.decode('bad')", "return cjson.encode(function() end)",
    "return cjson.encode(cjson.decode('{\"a\":1.25,\"b\":1e300,\"c\":-0}'))",
    # bit
    "return bit.band(0xff, 0x0f)", "return bit.bor(1,2,4)", "return bit.bxor(5,3)", "return bit.bnot(0)",
    "return bit.lshift(1, 31)", "return bit.rshift(-1, 28)", "return bit.arshift(-256, 4)",
    "return bit.tohex(255)", "return bit.tohex(-1, -4)", "return bit.tobit(0xffffffff)",
    "return bit.rol(1, 33)", "return bit.bswap(0x12345678)",
    # struct / cmsgpack
    "return struct.pack('>I2', 258)", "return {struct.unpack('>I2', 'ab')}", "return struct.size('>i4')",
    "return struct.pack('<i4s', -2, 'ab')", "return {struct.unpack('<i4', struct.pack('<i4', -2))}",
    "return cmsgpack.pack({1,2,3})", "return cmsgpack.pack({a=1})",
    "return cmsgpack.pack('abc', 300, -1, 1.5, true, nil)",
    "return {cmsgpack.unpack(cmsgpack.pack({1,'x'}))}",
    # more library corners
    "return cjson.encode({a={}, b={{}}})", "return cjson.decode('\"\\u00e9\"')",
    "return cjson.encode(cjson.decode('12345678901234567890'))", "return cjson.encode({true, false})",
    "return cjson.encode('\\1\\127\\200')", "return cjson.decode('[1, 2')",
    "return cjson.decode('{\"a\":1,}')", "return cjson.encode({[1.5]=1})",
"return cjson.encode(1/0)", "return cjson.decode('  7  ')",
    "return struct.pack('bBhH', -1, 255, -2, 65535)", "return {struct.unpack('bBhH', struct.pack('bBhH', -1, 255, -2, 65535))}",
    "return struct.pack('>d', 1.5)", "return {struct.unpack('>s', 'ab\\0cd')}", "return struct.pack('c3', 'abcdef')",
    "return {struct.unpack('<I3', 'abc')}", "return struct.size('bhid')",
    "return cmsgpack.pack({1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16})", "return cmsgpack.pack(string.rep('x', 40))",
    "return cmsgpack.pack(-33, -129, 65536, 4294967296, 0.1)", "return {cmsgpack.unpack('\\147\\1\\2\\3')}",
    "return bit.tohex(255, 2)", "return bit.tohex(-1)", "return bit.band()", "return bit.bor(1.5)",
    "return bit.ror(1, 1)", "return bit.lshift(1, 40)",
    "return tostring(1/0)", "return tostring(-1/0)", "return tostring(0/0)", "return string.format('%5.2f', 3.14159)",
    "return table.concat({1, 2, 'x'}, '-')", "return math.floor(-3.5)", "return math.max(1, 5, 3)",
    "return math.fmod(7, 3)", "return string.byte('A')", "return string.char(72, 105)",
    "return select(2, pcall(error, 'x'))", "return select(2, pcall(error, {err='t'}))",
    "return select(2, pcall(redis.call, 'get'))", "return {pcall(redis.call, 'ping')}",
    "return select(2, pcall(cjson.decode, '{'))", "return select(2, pcall(bit.band, {}))",
    "local t = {} for i = 1, 300 do t[i] = i end return #cjson.encode(t)",
    "return redis.call('ping', 'a', 'b')", "return redis.call('echo', '')",
    "return redis.call('incrbyfloat', 'fl', '0.1')", "return redis.call('object', 'encoding', 'nokey')",
    # shebang
    "#!lua\nreturn 1", "#!lua flags=no-writes\nreturn redis.call('set','a','b')",
    "#!lua flags=bad\nreturn 1", "#!lua name=x\nreturn 1", "#!py\nreturn 1", "#!lua",
    "#!luax\nreturn 1", "#!\nreturn 1", "#!lua flags=\nreturn 1", "#!lua  flags=no-writes  \nreturn 1",
    "#!lua\nreturn x",
]


@pytest.mark.parametrize("script", SCRIPTS)
def test_eval_replies(diff, script):
    diff.check("EVAL", script, 0)


SANDBOX = [
    "return type(getfenv)", "return type(setfenv)", "return type(dofile)", "return type(loadfile)",
    "return type(require)", "return type(print)", "return type(debug)", "return type(newproxy)",
    "return type(module)", "return type(os)", "return type(io)", "return os.execute('id')",
    "return io.open('/etc/passwd')", "return debug.getinfo(1)", "rawset(_G, 'x', 1) return 1",
    "setmetatable(_G, nil) return 1", "local mt = getmetatable(_G) return type(mt)",
    "_G.x = 1", "redis.call = nil", "string.len = nil return 1", "math.floor = nil",
    "cjson.encode = nil", "redis.x = 1", "return rawget(_G, 'x')", "return loadstring('x=1')",
    "return pcall(loadstring('y=1'))", "local f = loadstring('y=1'); f()",
    "table.insert = nil", "bit.band = nil", "struct.pack = nil", "cmsgpack.pack = nil",
    "coroutine.create = nil", "KEYS = 1",
    "return loadstring(string.dump(function() return 1 end))",
    "local f, e = loadstring(string.dump(function() return 1 end)) return e",
    "getmetatable('').__index = nil return 1", "getmetatable('').__index.rep = nil return 1",
    "local mt = getmetatable('') mt.x = 1 return 1", "return getmetatable(_G).__index",
    "getmetatable(_G).__newindex = nil return 1", "local mt = getmetatable(_G) return type(mt.__index)",
    "return rawget(_G, 'redis') ~= nil", "for k, v in pairs(_G) do end return 1",
    "local n = 0 for k in pairs(string) do n = n + 1 end return n", "KEYS[1] = 'x' return KEYS[1]",
    "return load(string.dump(function() return 1 end))",
    "return coroutine.wrap(function() coroutine.yield(5) end)()",
    "return _G._G == _G", "return type(_G.KEYS)",
    "local t = {} setmetatable(t, {__index = _G}) return t.redis ~= nil",
    "return string.format('%s', redis)", "return redis.call('eval', 'return 1', '0')",
    "redis.setresp(3) return redis.call('hello', '3')",
]


@pytest.mark.parametrize("script", SANDBOX)
def test_sandbox_escapes(diff, script):
    diff.check("EVAL", script, 0)


def test_keys_argv_and_numkeys(diff):
    diff.run([
        ["EVAL", "return {KEYS[1], ARGV[1], #KEYS, #ARGV}", 1, "k", "a"],
        ["EVAL", "return {KEYS, ARGV}", 2, "k1", "k2", "a1", "a2", "a3"],
        ["EVAL", "return redis.call('get', KEYS[1])", 1, "nokey"],
        ["EVAL", "return 1", 2, "a"], ["EVAL", "return 1", -1], ["EVAL", "return 1", "x"],
        ["EVAL", "return 1", "1.0", "a"], ["EVAL", "return 1"], ["EVAL", "return (", "x"],
        ["EVAL", "return (", 5], ["EVAL", "#!lua flags=bad\nreturn 1", "x"],
        ["EVAL_RO", "return 1", "x"],
    ])


def test_evalsha_and_script_cache(diff):
    diff.run([
        ["SCRIPT", "FLUSH"],
        ["EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", 0],
        ["SCRIPT", "EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "x"],
        ["SCRIPT", "LOAD", "return 1"],
        ["SCRIPT", "LOAD", "return ("],
        ["SCRIPT", "LOAD", "#!lua flags=bad\nreturn 1"],
        ["EVALSHA", "E0E1F9FABFC9D4800C877A703B823AC0578FF8DB", 0],
        ["EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", 0],
        ["EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db0", 0],
        ["EVALSHA", "abc", "x"], ["EVALSHA", "abc", 5],
        ["EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "x"],
        ["EVALSHA", "0000000000000000000000000000000000000000", "x"],
        ["SCRIPT", "EXISTS", "E0E1F9FABFC9D4800C877A703B823AC0578FF8DB", "x"],
        ["EVALSHA_RO", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", 0],
        ["EVAL", "return 2", 0],
        ["SCRIPT", "EXISTS", "7f923f79fe76194c868d7e1d0820de36700eb649"],
        ["SCRIPT", "FLUSH", "ASYNC"], ["SCRIPT", "FLUSH", "SYNC"], ["SCRIPT", "FLUSH", "bad"],
        ["SCRIPT", "FLUSH", "SYNC", "x"],
        ["SCRIPT", "EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"],
        ["SCRIPT", "KILL"], ["SCRIPT", "HELP"], ["SCRIPT", "NOPE"], ["SCRIPT"],
    ])


def test_read_only_scripts(diff):
    diff.run([
        ["SET", "k", "x"],
        ["EVAL_RO", "return redis.call('set','a','b')", 0],
        ["EVAL_RO", "return redis.call('get', KEYS[1])", 1, "k"],
        ["EVAL_RO", "#!lua\nreturn 1", 0],
        ["EVAL_RO", "#!lua flags=no-writes\nreturn 1", 0],
        ["EVAL", "#!lua flags=no-writes,allow-oom\nreturn 1", 0],
        ["EVAL", "#!lua\nreturn redis.call('set', 'undeclared', 'x')", 0],
        ["EVAL", "#!lua\nreturn redis.call('get', 'undeclared')", 0],
        ["EVAL_RO", "return redis.pcall('del','k')", 0],
        ["GET", "k"],
    ])


def test_writes_and_types(diff):
    diff.run([
        ["EVAL", "redis.call('set','q','1'); return redis.call('type','q')", 0],
        ["EVAL", "redis.call('rpush','l','a','b'); return redis.call('lrange','l',0,-1)", 0],
        ["EVAL", "return redis.call('incrbyfloat','f','1.5')", 0],
        ["EVAL", "redis.call('zadd','z',1.5,'m'); return redis.call('zrange','z',0,-1,'withscores')", 0],
        ["EVAL", "redis.call('hset','h','f','v'); return redis.call('hgetall','h')", 0],
        ["EVAL", "return redis.call('exists','q','l','nope')", 0],
        ["GET", "q"], ["LRANGE", "l", 0, -1],
    ])


def test_resp3_conversions_from_resp2_caller(diff):
    diff.run([
        ["HSET", "hh", "f", "v"], ["SADD", "st", "a"], ["ZADD", "zz", 1.5, "m"],
        ["EVAL", "redis.setresp(3); return redis.call('hgetall','nokey')", 0],
        ["EVAL", "redis.setresp(3); return redis.call('hgetall','hh')", 0],
        ["EVAL", "redis.setresp(3); local r = redis.call('hgetall','hh'); return type(r)..(r.map and 'map' or '')", 0],
        ["EVAL", "redis.setresp(3); local r = redis.call('get','nokey'); return type(r)", 0],
        ["EVAL", "redis.setresp(3); return redis.call('get','nokey')", 0],
        ["EVAL", "redis.setresp(3); return redis.call('smembers','st')", 0],
        ["EVAL", "redis.setresp(3); local r = redis.call('smembers','st'); return type(r.set)", 0],
        ["EVAL", "redis.setresp(3); return {double = redis.call('zscore','zz','m').double}", 0],
        ["EVAL", "redis.setresp(3); return redis.call('zscore','zz','m')", 0],
        ["EVAL", "redis.setresp(3); return redis.call('exists','zz') == 1", 0],
        ["EVAL", "redis.setresp(3); return false", 0],
        ["EVAL", "return {map={a=1, b={1,2}}}", 0],
        ["EVAL", "return {set={a=true, b=false}}", 0],
    ])


def test_resp3_caller(diff3):
    diff3.run([
        ["HSET", "hh", "f", "v"], ["SADD", "st", "a"], ["ZADD", "zz", 1.5, "m"],
        ["EVAL", "return {double=3.5}", 0], ["EVAL", "return {map={a=1}}", 0],
        ["EVAL", "return {set={a=true}}", 0], ["EVAL", "return true", 0],
        ["EVAL", "return false", 0], ["EVAL", "return nil", 0],
        ["EVAL", "redis.setresp(3); return redis.call('hgetall','hh')", 0],
        ["EVAL", "redis.setresp(3); return redis.call('get','nokey')", 0],
        ["EVAL", "return redis.call('get','nokey')", 0],
        ["EVAL", "redis.setresp(3); return redis.call('zscore','zz','m')", 0],
        ["EVAL", "return redis.call('hgetall','hh')", 0],
        ["EVAL", "return redis.call('smembers','st')", 0],
        ["EVAL", "redis.setresp(3); return redis.call('exists','zz') == 1", 0],
        ["EVAL", "redis.setresp(3); return redis.call('exists','zz') == 0", 0],
        ["EVAL", "redis.setresp(3); return redis.call('smembers','st')", 0],
        ["EVAL", "return {1,true,false}", 0],
    ])


def test_eval_inside_multi(diff):
    diff.run([
        ["MULTI"], ["EVAL", "return redis.call('set','m','1')", 0],
        ["EVAL", "return redis.call('incr','m')", 0], ["EXEC"], ["GET", "m"],
        ["MULTI"], ["EVAL", "return 1"], ["EXEC"],
    ])
