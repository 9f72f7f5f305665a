-- The Lua side of lab.engine.scripting: the sandbox Redis 7.0 gives scripts.
--
-- Run once per Lua state with a table of Python callbacks (P). Returns a table of
-- entry points the Python side uses (compile, run, the environments). Written for
-- lupa's Lua 5.1 runtime: Redis embeds Lua 5.1 and patches it with read-only tables;
-- stock 5.1 has none, so every protected table here is an empty proxy whose
-- metatable forwards reads and refuses writes (limits: lab/engine/scripting.py).
local P = ...

local _type, _error, _tostring, _select, _unpack = type, error, tostring, select, unpack
local _setfenv, _loadstring, _pcall, _xpcall = setfenv, loadstring, pcall, xpcall
local _setmetatable, _getmetatable, _rawset, _rawget, _next = setmetatable, getmetatable, rawset, rawget, next
local _format, _sub, _find, _byte, _char, _gsub = string.format, string.sub, string.find, string.byte, string.char, string.gsub
local _floor, _huge = math.floor, math.huge
local _concat, _insert = table.concat, table.insert
local dbg_getinfo, dbg_sethook = debug.getinfo, debug.sethook

local RO_ERR = "Attempt to modify a readonly table"
local real_of = _setmetatable({}, {__mode = "k"})  -- proxy -> the table behind it

local function refuse() _error(RO_ERR, 2) end

local function nonexistent(k)
  _error("Script attempted to access nonexistent global variable '" .. _tostring(k) .. "'", 3)
end

-- A read-only view of t. strict: reading a missing key is an error (globals).
local readonly
readonly = function(t, strict)
  local p = {}
  real_of[p] = t
  local idx = t
  if strict then
    idx = function(_, k)
      local v = t[k]
      if v == nil then nonexistent(k) end
      return v
    end
  end
  local mt = {__index = idx, __newindex = refuse}
  -- getmetatable(p) shows a read-only view of the metatable (Redis: a read-only table)
  local mview = {}
  real_of[mview] = mt
  _setmetatable(mview, {__index = function(_, k)
    local v = mt[k]
    if _type(v) == "table" then return readonly(v) end  -- never hand out the backing table
    return v
  end, __newindex = refuse, __metatable = false})
  mt.__metatable = mview
  _setmetatable(p, mt)
  return p
end

local function unwrap(t) return real_of[t] or t end

-- base library, as Redis leaves it (no print/dofile/loadfile/require/module/getfenv/
-- setfenv/newproxy); raw accessors see through the read-only proxies.
local base = {
  assert = assert, collectgarbage = collectgarbage, error = error, gcinfo = gcinfo,
  getmetatable = getmetatable, ipairs = ipairs, next = function(t, k) return _next(unwrap(t), k) end,
  pairs = function(t)
    local r = real_of[t]
    if r then return _next, r, nil end
    return pairs(t)
  end,
  rawequal = rawequal, select = select, tonumber = tonumber, tostring = tostring,
  type = type, unpack = unpack, xpcall = xpcall, _VERSION = _VERSION,
}
base.rawget = function(t, k) return _rawget(unwrap(t), k) end
base.rawset = P.guard(function(t, k, v)
  if real_of[t] then _error(RO_ERR, 0) end
  return _rawset(t, k, v)
end, 2)
base.setmetatable = P.guard(function(t, mt)
  if real_of[t] then _error(RO_ERR, 0) end
  return _setmetatable(t, mt)
end, 2)

local function pack_n(...) return {n = _select("#", ...), ...} end

-- Errors raised by Python callbacks (redis.call, the C-library stand-ins) arrive as
-- userdata; P.exc_info says what they are: 1 an error table's text, 2 a plain message,
-- 3 a message that takes the caller's position ("user_script:1: ...").
local function where(level)
  local info = dbg_getinfo(level, "Sl")
  if info and info.currentline and info.currentline > 0 then
    return _sub(info.source, 2) .. ":" .. info.currentline .. ": "
  end
  return ""
end

-- pcall: Redis 7.0 hands error tables ({err=...}, raised by redis.call) to the
-- script as their message string.
base.pcall = function(f, ...)
  local r = pack_n(_pcall(f, ...))
  if not r[1] then
    local e = r[2]
    if _type(e) == "userdata" then
      local kind, msg = P.exc_info(e)
      if kind == 3 then msg = where(2) .. msg end
      r[2] = msg
    elseif _type(e) == "table" and _type(e.err) == "string" then
      r[2] = e.err
    end
  end
  return _unpack(r, 1, r.n)
end

local function copy(t)
  local r = {}
  for k, v in _next, t do r[k] = v end
  return r
end

-- math with Redis's PRNG (rand.c's 48-bit generator, state kept on the Python side)
local M = copy(math)
M.random = function(...)
  local r = P.rand()
  local n = _select("#", ...)
  if n == 0 then return r end
  if n == 1 then
    local u = ...
    u = tonumber(u)
    if u == nil then _error("bad argument #1 to 'random' (number expected)", 2) end
    u = u >= 0 and _floor(u) or -_floor(-u)
    if not (1 <= u) then _error("bad argument #1 to 'random' (interval is empty)", 2) end
    return _floor(r * u) + 1
  end
  if n == 2 then
    local l, u = ...
    l, u = tonumber(l), tonumber(u)
    if l == nil or u == nil then _error("bad argument to 'random' (number expected)", 2) end
    l = l >= 0 and _floor(l) or -_floor(-l)
    u = u >= 0 and _floor(u) or -_floor(-u)
    if not (l <= u) then _error("bad argument #2 to 'random' (interval is empty)", 2) end
    return _floor(r * (u - l + 1)) + l
  end
  _error("wrong number of arguments", 2)
end
M.randomseed = function(s)
  s = tonumber(s)
  if s == nil then _error("bad argument #1 to 'randomseed' (number expected)", 2) end
  P.srand(s)
end

-- bit, struct, cmsgpack: Python callables (lab/engine/lua/libs.py); being C-like
-- functions to Lua, a script's `return bit.band(...)` keeps its own frame for errors.
local B, S, MP = copy(P.bit), copy(P.struct), copy(P.msgpack)

-- cjson: encoder here (Lua's own table order), decoder in Python
local NULL = P.NULL
local J = {null = NULL}
local ESC = {['"'] = '\\"', ["\\"] = "\\\\", ["/"] = "\\/", ["\b"] = "\\b", ["\f"] = "\\f",
             ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t"}
local function json_str(s)
  return '"' .. _gsub(s, '[%c"\\/]', function(c)
    return ESC[c] or _format("\\u%04x", _byte(c))
  end) .. '"'
end
local function json_num(n)
  if n ~= n or n == _huge or n == -_huge then
    _error("Cannot serialise number: must not be NaN or Inf", 0)
  end
  return _format("%.14g", n)
end
local json_encode
json_encode = function(v, depth)
  local t = _type(v)
  if t == "string" then return json_str(v) end
  if t == "number" then return json_num(v) end
  if t == "boolean" then return v and "true" or "false" end
  if v == NULL or t == "nil" then return "null" end
  if t ~= "table" then _error("Cannot serialise " .. t .. ": type not supported", 0) end
  if depth > 1000 then _error("Cannot serialise, excessive nesting (" .. depth .. ")", 0) end
  v = unwrap(v)
  local max, n, arr = 0, 0, true
  for k in _next, v do
    if _type(k) == "number" and k > 0 and _floor(k) == k then
      if k > max then max = k end
      n = n + 1
    else
      arr = false
      break
    end
  end
  local out = {}
  if arr and max > 0 then
    if max > n * 2 and max > 10 then _error("Cannot serialise table: excessively sparse array", 0) end
    for i = 1, max do out[i] = json_encode(v[i], depth + 1) end
    return "[" .. _concat(out, ",") .. "]"
  end
  for k, val in _next, v do
    local kt = _type(k)
    local ks
    if kt == "string" then ks = json_str(k)
    elseif kt == "number" then ks = '"' .. json_num(k) .. '"'
    else _error("Cannot serialise table: table key must be a number or string", 0) end
    out[#out + 1] = ks .. ":" .. json_encode(val, depth + 1)
  end
  return "{" .. _concat(out, ",") .. "}"
end
J.encode = P.json_encode  -- Python wrapper around E.json_encode (keeps the caller's frame)
J.decode = P.json_decode
for _, name in _next, {"encode_keep_buffer", "encode_max_depth", "decode_max_depth",
                        "encode_number_precision", "encode_sparse_array",
                        "encode_invalid_numbers", "decode_invalid_numbers"} do
  J[name] = function() return nil end
end
J._NAME, J._VERSION = "cjson", "2.1.0"

-- redis.*
local R = {}
R.call, R.pcall = P.call, P.pcall
R.error_reply = function(...)
  local s = ...
  if _select("#", ...) ~= 1 or _type(s) ~= "string" then
    return {err = "ERR wrong number or type of arguments"}
  end
  if _sub(s, 1, 1) == "-" then s = _sub(s, 2) end
  if not _find(s, " ", 1, true) then s = "ERR " .. s end
  return {err = s}
end
R.status_reply = function(...)
  local s = ...
  if _select("#", ...) ~= 1 or _type(s) ~= "string" then
    return {err = "ERR wrong number or type of arguments"}
  end
  return {ok = s}
end
R.sha1hex = P.sha1hex
local redis_log = P.log
R.log = redis_log
R.setresp = P.setresp
R.set_repl = P.set_repl
R.replicate_commands = function() return true end
R.breakpoint = function() return false end
R.debug = function() return nil end
R.LOG_DEBUG, R.LOG_VERBOSE, R.LOG_NOTICE, R.LOG_WARNING = 0, 1, 2, 3
R.REPL_NONE, R.REPL_AOF, R.REPL_SLAVE, R.REPL_REPLICA, R.REPL_ALL = 0, 1, 2, 2, 3
R.REDIS_VERSION, R.REDIS_VERSION_NUM = "7.0.15", 458767

local RO_STRING = readonly(copy(string))
local libs = {
  string = RO_STRING, table = readonly(copy(table)), math = readonly(M),
  coroutine = readonly(copy(coroutine)), bit = readonly(B), struct = readonly(S),
  cjson = readonly(J), cmsgpack = readonly(MP),
}
-- methods on strings ("x"):rep(3) go through the protected copy too, and the string
-- metatable itself is read-only to scripts (getmetatable("") returns a read-only view)
do
  local smt = _getmetatable("")
  smt.__index = RO_STRING
  local view = {}
  real_of[view] = smt
  _setmetatable(view, {__index = smt, __newindex = refuse, __metatable = false})
  smt.__metatable = view
end

-- one globals table per kind of code (EVAL scripts, FUNCTION libraries)
local function make_globals(redis_tbl)
  local G = copy(base)
  for k, v in _next, libs do G[k] = v end
  G.redis = readonly(redis_tbl)
  local proxy = readonly(G, true)
  G._G = proxy
  G.loadstring = function(s, name)
    if _type(s) == "string" and _byte(s, 1) == 27 then
      -- Redis's Lua refuses bytecode: it is parsed as text, and fails on the first byte
      local src = name or s
      local shown = src
      local cut = _find(shown, "[%z\n]")
      if cut then shown = _sub(shown, 1, cut - 1) end
      return nil, '[string "' .. shown .. '"]:1: unexpected symbol near \'char(27)\''
    end
    local f, e = _loadstring(s, name)
    if f then _setfenv(f, proxy) end
    return f, e
  end
  G.load = P.guard(function(fn, name)
    if _type(fn) ~= "function" then
      _error("bad argument #1 to 'load' (function expected, got " .. (fn == nil and "no value" or _type(fn)) .. ")", 0)
    end
    local parts = {}
    while true do
      local piece = fn()
      if piece == nil or piece == "" then break end
      if _type(piece) ~= "string" then return nil, "reader function must return a string" end
      parts[#parts + 1] = piece
    end
    return G.loadstring(_concat(parts), name)
  end, 3)
  return G, proxy
end

local EVAL_G, EVAL_ENV = make_globals(R)
local FUNC_G = make_globals(R)

-- the error handler: message, whether it was an error table, and the first user frame
local function errh(e)
  local src, line
  local lvl = 2
  while true do
    local info = dbg_getinfo(lvl, "Sl")
    if not info then break end
    if info.what ~= "C" and info.source ~= "=sandbox" then
      src, line = info.source, info.currentline
      break
    end
    lvl = lvl + 1
  end
  if _type(e) == "userdata" then
    local kind, msg = P.exc_info(e)
    if kind == 1 then return {true, msg, src, line} end
    if kind == 3 and src then
      local s = _sub(src, 1, 1) == "@" and _sub(src, 2) or ('[string "' .. src .. '"]')
      msg = s .. ":" .. line .. ": " .. msg
    end
    return {false, msg, src, line}
  end
  if _type(e) == "table" and _type(e.err) == "string" then return {true, e.err, src, line} end
  return {false, _tostring(e), src, line}
end

local HOOK_COUNT = P.hook_count
local function hook()
  local kill = P.hook()
  if kill then _error({err = kill}) end
end

local function run(f, a, b)
  dbg_sethook(hook, "", HOOK_COUNT)
  local ok, res = _xpcall(function() return f(a, b) end, errh)
  dbg_sethook()
  return ok, res
end

local E = {}
E.NULL = NULL
-- luaL_where(L, 1) as seen from a Python callable: level 1 is this function, 2 the
-- callable (a C function to Lua), 3 whoever called it
E.where = function()
  local info = dbg_getinfo(3, "Sl")
  if info and info.currentline and info.currentline > 0 then
    local src = info.source
    if _sub(src, 1, 1) == "@" then src = _sub(src, 2) else src = '[string "' .. src .. '"]' end
    return src .. ":" .. info.currentline .. ": "
  end
  return ""
end
E.json_encode = function(v) return _pcall(json_encode, v, 1) end
E.compile_eval = function(body, chunkname)
  local f, err = _loadstring(body, chunkname)
  if not f then return nil, err end
  _setfenv(f, EVAL_ENV)
  return f, nil
end
E.run_eval = function(f, keys, args)
  _rawset(EVAL_G, "KEYS", keys)
  _rawset(EVAL_G, "ARGV", args)
  return run(f)
end
E.run_function = function(f, keys, args) return run(f, keys, args) end

-- FUNCTION LOAD: the library code runs with only redis.register_function / redis.log;
-- afterwards its globals turn into the full function environment.
local FLAGS = {["no-writes"] = true, ["allow-oom"] = true, ["allow-stale"] = true,
               ["no-cluster"] = true, ["allow-cross-slot-keys"] = true}
local function reg_error(msg) _error({err = msg}) end
local function register_function(...)
  local n = _select("#", ...)
  local name, cb, flags, desc
  if n == 1 then
    local t = ...
    if _type(t) ~= "table" then
      reg_error("ERR calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).")
    end
    for k, v in _next, t do
      if k == "function_name" then name = v
      elseif k == "callback" then cb = v
      elseif k == "flags" then flags = v
      elseif k == "description" then desc = v
      else reg_error("ERR unknown argument given to redis.register_function") end
    end
  elseif n == 2 then
    name, cb = ...
  else
    reg_error("ERR wrong number of arguments to redis.register_function")
  end
  if _type(name) ~= "string" and _type(name) ~= "number" then
    reg_error("ERR redis.register_function must get a function name argument")
  end
  if _type(cb) ~= "function" then
    reg_error("ERR callback argument given to redis.register_function must be a function")
  end
  local flist = {}
  if flags ~= nil then
    if _type(flags) ~= "table" then
      reg_error("ERR flags argument to redis.register_function must be a table representing function flags")
    end
    for i = 1, #flags do
      local fl = flags[i]
      if _type(fl) ~= "string" or not FLAGS[fl] then reg_error("ERR unknown flag given") end
      flist[#flist + 1] = fl
    end
  end
  if desc ~= nil and _type(desc) ~= "string" and _type(desc) ~= "number" then
    reg_error("ERR description argument given to redis.register_function must be a string")
  end
  local err = P.register(_tostring(name), cb, flist, desc ~= nil and _tostring(desc) or nil)
  if err then reg_error(err) end
end
local LOAD_REDIS = {register_function = register_function, log = redis_log,
                    LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3,
                    REDIS_VERSION = "7.0.15", REDIS_VERSION_NUM = 458767}
local LOAD_G = {redis = readonly(LOAD_REDIS, true)}

E.load_library = function(body, chunkname)
  local f, err = _loadstring(body, chunkname)
  if not f then return false, err end
  local holder = {LOAD_G}
  local env = {}
  _setmetatable(env, {
    __index = function(_, k)
      local v = holder[1][k]
      if v == nil then nonexistent(k) end
      return v
    end,
    __newindex = refuse, __metatable = {}})
  real_of[env] = LOAD_G
  _setfenv(f, env)
  local ok, res = run(f)
  holder[1] = FUNC_G
  real_of[env] = FUNC_G
  if ok then return true, nil end
  return false, res
end

return E
