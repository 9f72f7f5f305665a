"""Every error text the engine replies with, word for word as Redis 7.0.15 prints it.

Follows fakeredis's ``_msgs.py`` idea: handlers never spell an error inline, they raise
``ReplyError(errors.X)`` so one file can be diffed against a real server's strings.
The wire form is ``-<text>\\r\\n``; the first word is the error code (``ERR``,
``WRONGTYPE``, ``OOM``...).
"""

from __future__ import annotations


class ReplyError(Exception):
    """An error reply. ``message`` is the full text after the ``-`` (code first).

    Raised by command handlers; the dispatcher turns it into a reply value. At the top
    level ``Engine.call`` re-raises it; inside arrays (EXEC) it stays a value.
    """

    __slots__ = ("message",)

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    @property
    def code(self) -> str:
        return self.message.split(" ", 1)[0]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ReplyError) and other.message == self.message

    def __hash__(self) -> int:
        return hash(self.message)

    def __repr__(self) -> str:
        return f"ReplyError({self.message!r})"


# --- generic -------------------------------------------------------------------------
WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"
SYNTAX = "ERR syntax error"
NOT_INTEGER = "ERR value is not an integer or out of range"
NOT_FLOAT = "ERR value is not a valid float"
OVERFLOW = "ERR increment or decrement would overflow"
NO_SUCH_KEY = "ERR no such key"
INDEX_OUT_OF_RANGE = "ERR index out of range"
OFFSET_OUT_OF_RANGE = "ERR offset is out of range"
DB_INDEX_OUT_OF_RANGE = "ERR DB index is out of range"
INVALID_DB_INDEX = "ERR invalid DB index"
MUST_BE_POSITIVE = "ERR value is out of range, must be positive"
VALUE_OUT_OF_RANGE = "ERR value is out of range"
SAME_OBJECT = "ERR source and destination objects are the same"
NAN_OR_INF = "ERR increment would produce NaN or Infinity"
MIN_MAX_NOT_FLOAT = "ERR min or max is not a float"
MIN_MAX_NOT_STRING = "ERR min or max not valid string range item"
TIMEOUT_NOT_FLOAT = "ERR timeout is not a float or out of range"
TIMEOUT_NEGATIVE = "ERR timeout is negative"
OOM = "OOM command not allowed when used memory > 'maxmemory'."
INVALID_CURSOR = "ERR invalid cursor"
NUMKEYS_ZERO = "ERR numkeys should be greater than 0"

# Formatted messages: call with .format(...)
WRONG_ARITY = "ERR wrong number of arguments for '{}' command"
UNKNOWN_COMMAND = "ERR unknown command '{}', with args beginning with: {}"
UNKNOWN_SUBCOMMAND = "ERR unknown subcommand '{}'. Try {} HELP."
INVALID_EXPIRE = "ERR invalid expire time in '{}' command"

# --- keys / expire ---------------------------------------------------------------------
EXPIRE_NX_XX = "ERR NX and XX, GT or LT options at the same time are not compatible"
EXPIRE_GT_LT = "ERR GT and LT options at the same time are not compatible"

# --- strings ---------------------------------------------------------------------------
BIT_OFFSET = "ERR bit offset is not an integer or out of range"
BIT_VALUE = "ERR bit is not an integer or out of range"
STRING_TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)"

# --- hashes ----------------------------------------------------------------------------
HASH_NOT_INTEGER = "ERR hash value is not an integer"
HASH_NOT_FLOAT = "ERR hash value is not a float"

# --- transactions ----------------------------------------------------------------------
MULTI_NESTED = "ERR MULTI calls can not be nested"
EXEC_WITHOUT_MULTI = "ERR EXEC without MULTI"
DISCARD_WITHOUT_MULTI = "ERR DISCARD without MULTI"
WATCH_IN_MULTI = "ERR WATCH inside MULTI is not allowed"
EXECABORT = "EXECABORT Transaction discarded because of previous errors."
NOT_ALLOWED_IN_MULTI = "ERR Command not allowed inside a transaction"

# --- server / config -------------------------------------------------------------------
CONFIG_SET_UNKNOWN = "ERR Unknown option or number of arguments for CONFIG SET - '{}'"
CONFIG_SET_FAILED = "ERR CONFIG SET failed (possibly related to argument '{}') - {}"
CONFIG_SET_DUPLICATE = "ERR CONFIG SET failed (possibly related to argument '{}') - duplicate parameter"
DEBUG_DISABLED = (
    "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
    "you can run it from a local connection, otherwise you need to set this option in the "
    "configuration file, and then restart the server."
)
NOAUTH = "NOAUTH Authentication required."
WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled."
AUTH_NOT_CONFIGURED = (
    "ERR AUTH <password> called without any password configured for the default user. "
    "Are you sure your configuration is correct?"
)
LFU_NOT_SELECTED = (
    "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
    "that when switching between policies at runtime LRU and LFU data will take some time "
    "to adjust."
)
LFU_SELECTED_NO_IDLE = (
    "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
    "switching between policies at runtime LRU and LFU data will take some time to adjust."
)

# --- lists -----------------------------------------------------------------------------
LPOS_RANK_ZERO = (
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
    "or use negative to start from the end of the list"
)
LPOS_COUNT_NEGATIVE = "ERR COUNT can't be negative"
LPOS_MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative"
COUNT_GREATER_THAN_ZERO = "ERR count should be greater than 0"

# --- hashes / sets ---------------------------------------------------------------------
VALUE_NAN_OR_INF = "ERR value is NaN or Infinity"
VALUE_OUT_OF_RANGE_BETWEEN = "ERR value is out of range, value must between {} and {}"
NUMKEYS_GT_ARGS = "ERR Number of keys can't be greater than number of args"
LIMIT_NEGATIVE = "ERR LIMIT can't be negative"

# --- keys / expire (generic key commands) -----------------------------------------------
UNSUPPORTED_OPTION = "ERR Unsupported option {}"
INVALID_FIRST_DB_INDEX = "ERR invalid first DB index"
INVALID_SECOND_DB_INDEX = "ERR invalid second DB index"

# --- strings / bitops (strings.py, bitops.py) ------------------------------------------
DECREMENT_OVERFLOW = "ERR decrement would overflow"
LCS_NOT_STRINGS = "ERR The specified keys must contain string values"
LCS_IDX_AND_LEN = "ERR If you want both the length and indexes, please just use IDX."
LCS_TOO_LONG = "ERR String too long for LCS"
LCS_MEMORY = "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"
BITFIELD_TYPE = (
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported "
    "but i64 is."
)
BITFIELD_OVERFLOW_TYPE = "ERR Invalid OVERFLOW type specified"
BITFIELD_RO_GET_ONLY = "ERR BITFIELD_RO only supports the GET subcommand"
BITPOS_BIT = "ERR The bit argument must be 1 or 0."
BITOP_NOT_ONE_KEY = "ERR BITOP NOT must be called with a single source key."

# --- server / introspection (server_cmds.py) ---------------------------------------------
CONFIG_REWRITE_NO_FILE = "ERR The server is running without a config file"
NOPROTO = "NOPROTO unsupported protocol version"
HELLO_PROTO_NOT_INTEGER = "ERR Protocol version is not an integer or out of range"
HELLO_SYNTAX = "ERR Syntax error in HELLO option '{}'"
HELLO_NOAUTH = (
    "NOAUTH HELLO must be called with the client already authenticated, otherwise the "
    "HELLO AUTH <user> <pass> option can be used to authenticate the client and select "
    "the RESP protocol version at the same time"
)
CLIENT_NAME_INVALID = "ERR Client names cannot contain spaces, newlines or special characters."
CLIENT_INVALID_ID = "ERR Invalid client ID"
CLIENT_UNKNOWN_TYPE = "ERR Unknown client type '{}'"
GETKEYS_INVALID_COMMAND = "ERR Invalid command specified"
GETKEYS_NO_KEYS = "ERR The command has no key arguments"
GETKEYS_BAD_ARITY = "ERR Invalid number of arguments specified for command"
GETKEYS_INVALID_ARGS = "ERR Invalid arguments specified for command"
DEBUG_UNKNOWN_SUBCOMMAND = (
    "ERR unknown subcommand or wrong number of arguments for '{}'. Try DEBUG HELP."
)

# --- sorted sets -----------------------------------------------------------------------
ZADD_XX_NX = "ERR XX and NX options at the same time are not compatible"
ZADD_GT_LT_NX = "ERR GT, LT, and/or NX options at the same time are not compatible"
ZADD_INCR_PAIR = "ERR INCR option supports a single increment-element pair"
ZSCORE_NAN = "ERR resulting score is not a number (NaN)"
ZRANGE_LIMIT_RANK = (
    "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
)
ZRANGE_WITHSCORES_BYLEX = "ERR syntax error, WITHSCORES not supported in combination with BYLEX"
WEIGHT_NOT_FLOAT = "ERR weight value is not a float"
ZSETOP_NO_KEYS = "ERR at least 1 input key is needed for '{}' command"

# --- networking, pub/sub, blocking (networking.py, pubsub.py, lab/resp_server.py) ------
PUBSUB_CONTEXT = (
    "ERR Can't execute '{}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET "
    "are allowed in this context"
)
REPLICA_KEYSPACE = "ERR Replica can't interact with the keyspace"
MONITOR_DENY_BLOCKING = "ERR MONITOR isn't allowed for DENY BLOCKING client"
NO_SUCH_CLIENT = "ERR No such client"
CLIENT_ID_POSITIVE = "ERR client-id should be greater than 0"
NO_SUCH_USER = "ERR No such user '{}'"
TIMEOUT_NOT_INTEGER = "ERR timeout is not an integer or out of range"
CLIENT_PAUSE_MODE = "ERR CLIENT PAUSE mode must be WRITE or ALL"
CLIENT_UNBLOCK_REASON = "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"
UNBLOCKED_BY_CLIENT = "UNBLOCKED client unblocked via CLIENT UNBLOCK"
SUBCOMMAND_SYNTAX = "ERR unknown subcommand or wrong number of arguments for '{}'. Try {} HELP."
PROTOCOL_ERROR = "ERR Protocol error: {}"
DENIED_PROTECTED_MODE = (
    "DENIED Redis is running in protected mode because protected mode is enabled and no "
    "password is set for the default user. In this mode connections are only accepted from "
    "the loopback interface. If you want to connect from external computers to Redis you "
    "may adopt one of the following solutions: 1) Just disable protected mode sending the "
    "command 'CONFIG SET protected-mode no' from the loopback interface by connecting to "
    "Redis from the same host the server is running, however MAKE SURE Redis is not "
    "publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change "
    "permanent. 2) Alternatively you can just disable the protected mode by editing the "
    "Redis configuration file, and setting the protected mode option to 'no', and then "
    "restarting the server. 3) If you started the server manually just for testing, "
    "restart it with the '--protected-mode no' option. 4) Setup a an authentication "
    "password for the default user. NOTE: You only need to do one of the above things in "
    "order for the server to start accepting connections from the outside."
)

# --- hyperloglog (hyperloglog.py) ------------------------------------------------------
HLL_WRONGTYPE = "WRONGTYPE Key is not a valid HyperLogLog string value."
HLL_INVALID = "INVALIDOBJ Corrupted HLL object detected"
PFDEBUG_NO_KEY = "ERR The specified key does not exist"
PFDEBUG_NOT_SPARSE = "ERR HLL encoding is not sparse"
PFDEBUG_UNKNOWN = "ERR Unknown PFDEBUG subcommand '{}'"

# --- geo (geo.py) ------------------------------------------------------------------------
GEO_INVALID_LONLAT = "ERR invalid longitude,latitude pair {},{}"
GEO_NEED_RADIUS = "ERR need numeric radius"
GEO_NEED_WIDTH = "ERR need numeric width"
GEO_NEED_HEIGHT = "ERR need numeric height"
GEO_RADIUS_NEGATIVE = "ERR radius cannot be negative"
GEO_BOX_NEGATIVE = "ERR height or width cannot be negative"
GEO_UNIT = "ERR unsupported unit provided. please use M, KM, FT, MI"
GEO_MEMBER_DECODE = "ERR could not decode requested zset member"
GEO_COUNT_POSITIVE = "ERR COUNT must be > 0"
GEO_STORE_WITH = "ERR {} is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
GEO_FROM_ONE = "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for {}"
GEO_BY_ONE = "ERR exactly one of BYRADIUS and BYBOX can be specified for {}"
GEO_ANY_NEEDS_COUNT = "ERR the ANY argument requires COUNT argument"

# --- persistence (persistence/rdb.py) -----------------------------------------------------
BGSAVE_IN_PROGRESS = "ERR Background save already in progress"
SAVE_FAILED = "ERR"

# --- streams (streams.py) ------------------------------------------------------------------
XINVALID_ID = "ERR Invalid stream ID specified as stream command argument"
XINVALID_START = "ERR invalid start ID for the interval"
XINVALID_END = "ERR invalid end ID for the interval"
XADD_ID_ZERO = "ERR The ID specified in XADD must be greater than 0-0"
XADD_ID_SMALLER = "ERR The ID specified in XADD is equal or smaller than the target stream top item"
XADD_EXHAUSTED = "ERR The stream has exhausted the last possible ID, unable to add more items"
XMAXLEN_MINID = "ERR syntax error, MAXLEN and MINID options at the same time are not compatible"
XMAXLEN_NEGATIVE = "ERR The MAXLEN argument must be >= 0."
XLIMIT_NEGATIVE = "ERR The LIMIT argument must be >= 0."
XLIMIT_NO_STRATEGY = "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"
XLIMIT_NO_APPROX = "ERR syntax error, LIMIT cannot be used without the special ~ option"
XTRIM_NO_STRATEGY = "ERR syntax error, XTRIM must be called with a trimming strategy"
TIMEOUT_OUT_OF_RANGE = "ERR timeout is out of range"
XREAD_UNBALANCED = (
    "ERR Unbalanced '{}' list of streams: for each stream key an ID or '{}' must be specified."
)
XREAD_GROUP_OPTION = "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead."
XREAD_NOACK_OPTION = "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead."
XREADGROUP_MISSING_GROUP = "ERR Missing GROUP option for XREADGROUP"
XREADGROUP_NOGROUP = "NOGROUP No such key '{}' or consumer group '{}' in XREADGROUP with GROUP option"
XREADGROUP_GROUP_GONE = "NOGROUP the consumer group this client was blocked on no longer exists"
XREADGROUP_DOLLAR = (
    "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history "
    "of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ "
    "ID would just return an empty result set."
)
XREAD_GT_ID = (
    "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> "
    "<consumer> option."
)
BUSYGROUP = "BUSYGROUP Consumer Group name already exists"
XENTRIESREAD = "ERR value for ENTRIESREAD must be positive or -1"
XGROUP_KEY_MISSING = (
    "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want "
    "to use the MKSTREAM option to create an empty stream automatically."
)
XGROUP_NOGROUP = "NOGROUP No such consumer group '{}' for key name '{}'"
XNOGROUP_KEY = "NOGROUP No such key '{}' or consumer group '{}'"
XCLAIM_MINIDLE = "ERR Invalid min-idle-time argument for XCLAIM"
XCLAIM_IDLE = "ERR Invalid IDLE option argument for XCLAIM"
XCLAIM_TIME = "ERR Invalid TIME option argument for XCLAIM"
XCLAIM_RETRYCOUNT = "ERR Invalid RETRYCOUNT option argument for XCLAIM"
XCLAIM_UNRECOGNIZED = "ERR Unrecognized XCLAIM option '{}'"
XAUTOCLAIM_MINIDLE = "ERR Invalid min-idle-time argument for XAUTOCLAIM"
XAUTOCLAIM_COUNT = "ERR COUNT must be > 0"
XSETID_ENTRIES_NEGATIVE = "ERR entries_added must be positive"
XSETID_SMALLER_THAN_GIVEN_MAXDEL = (
    "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id"
)
XSETID_SMALLER_THAN_MAXDEL = "ERR The ID specified in XSETID is smaller than current max_deleted_entry_id"
XSETID_SMALLER_THAN_TOP = "ERR The ID specified in XSETID is smaller than the target stream top item"
XSETID_ENTRIES_SMALLER = (
    "ERR The entries_added specified in XSETID is smaller than the target stream length"
)
# [measured] 7.0.15 prints this one text for XREAD and XREADGROUP alike
XREAD_UNBALANCED_70 = (
    "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified."
)

# --- scripting, functions (scripting.py, functions.py) [measured 7.0.15] ----------------
NOSCRIPT = "NOSCRIPT No matching script. Please use EVAL."
BUSY_EVAL = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
BUSY_FUNCTION = (
    "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."
)
NOTBUSY = "NOTBUSY No scripts in execution right now."
UNKILLABLE = (
    "UNKILLABLE Sorry the script already executed write commands against the dataset. You "
    "can either wait the script termination or kill the server in a hard way using the "
    "SHUTDOWN NOSAVE command."
)
SCRIPT_KILLED = "ERR Script killed by user with SCRIPT KILL..."
NUMKEYS_NEGATIVE = "ERR Number of keys can't be negative"
SCRIPT_RO_WITH_WRITE_FLAG = "ERR Can not execute a script with write flag using *_ro command."
SCRIPT_COMPILE = "ERR Error compiling script (new function): {}"
SCRIPT_ERROR_SUFFIX = "{} script: {}, on {}."
SCRIPT_FLUSH_OPTION = "ERR SCRIPT FLUSH only support SYNC|ASYNC option"
SCRIPT_SHEBANG_INVALID = "ERR Invalid script shebang"
SCRIPT_SHEBANG_ENGINE = "ERR Unexpected engine in script shebang: {}"
SCRIPT_SHEBANG_FLAG = "ERR Unexpected flag in script shebang: {}"
SCRIPT_SHEBANG_OPTION = "ERR Unknown lua shebang option: {}"
SCRIPT_DEBUG_NOT_MODELLED = "ERR SCRIPT DEBUG (the Lua debugger) is not modelled by this engine"
SCRIPT_DEBUG_SYNTAX = "ERR Use SCRIPT DEBUG YES/SYNC/NO"
# errors a script's redis.* calls get (their text, before " script: ..." is added)
LUA_UNKNOWN_COMMAND = "ERR Unknown Redis command called from script"
LUA_WRONG_ARITY = "ERR Wrong number of args calling Redis command from script"
LUA_NOSCRIPT_COMMAND = "ERR This Redis command is not allowed from script"
LUA_WRITE_IN_READONLY = "ERR Write commands are not allowed from read-only scripts."
LUA_NO_ARGS = "ERR Please specify at least one argument for this redis lib call"
LUA_BAD_ARG_TYPE = "ERR Lua redis lib command arguments must be strings or integers"
FUNCTION_NOT_FOUND = "ERR Function not found"
FUNCTION_BAD_NUMKEYS = "ERR Bad number of keys provided"
FUNCTION_MISSING_METADATA = "ERR Missing library metadata"
FUNCTION_ENGINE_NOT_FOUND = "ERR Engine '{}' not found"
FUNCTION_INVALID_METADATA = "ERR Invalid metadata value given: {}"
FUNCTION_NO_LIBRARY_NAME = "ERR Library name was not given"
FUNCTION_NAME_INVALID = (
    "ERR Library names can only contain letters, numbers, or underscores(_) and must be at "
    "least one character long"
)
FUNCTION_LIBRARY_EXISTS = "ERR Library '{}' already exists"
FUNCTION_LIBRARY_EXISTS_RESTORE = "ERR Library {} already exists"
FUNCTION_COMPILE = "ERR Error compiling function: {}"
FUNCTION_REGISTER = "ERR Error registering functions: {}"
FUNCTION_NONE_REGISTERED = "ERR No functions registered"
FUNCTION_EXISTS = "ERR Function {} already exists"
FUNCTION_LIBRARY_NOT_FOUND = "ERR Library not found"
FUNCTION_FLUSH_OPTION = "ERR FUNCTION FLUSH only supports SYNC|ASYNC option"
FUNCTION_RESTORE_BAD_PAYLOAD = "ERR DUMP payload version or checksum are wrong"
FUNCTION_RESTORE_POLICY = (
    "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE."
)
FUNCTION_RESTORE_NOT_FUNCTION = "ERR given type is not a function"
FUNCTION_RESTORE_INVALID = "ERR payload is not a valid function dump"
FUNCTION_UNKNOWN_ARGUMENT = "ERR Unknown argument {}"
FUNCTION_LIST_NAME_MISSING = "ERR library name argument was not given"
FUNCTION_LIST_NAME_TWICE = "ERR library name argument was given multiple times"
FUNCTION_LOAD_UNKNOWN_OPTION = "ERR Unknown option given: {}"
FUNCTION_CODE_MISSING = "ERR Function code is missing"
LUA_LOG_ARGS = "ERR redis.log() requires two arguments or more."
LUA_LOG_LEVEL_TYPE = "ERR First argument must be a number"
LUA_LOG_LEVEL = "ERR Invalid debug level."
LUA_SETRESP_ARGS = "ERR redis.setresp() requires one argument."
LUA_SETRESP_VERSION = "ERR RESP version must be 2 or 3."
LUA_SET_REPL_ARGS = "ERR redis.set_repl() requires one argument."
LUA_SET_REPL_FLAGS = "ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE."
LUA_SHA1HEX_ARGS = "ERR wrong number of arguments"
FUNCTION_REGISTER_OUTSIDE_LOAD = "ERR redis.register_function can only be called on FUNCTION LOAD command"
FUNCTION_EXISTS_IN_LIBRARY = "ERR Function already exists in the library"

# --- sort, dump / restore (sort.py, dump.py) [measured 7.0.15] ---------------------------
SORT_SCORE_NOT_DOUBLE = "ERR One or more scores can't be converted into double"
BUSYKEY = "BUSYKEY Target key name already exists."
RESTORE_BAD_PAYLOAD = "ERR DUMP payload version or checksum are wrong"
RESTORE_BAD_DATA = "ERR Bad data format"
RESTORE_INVALID_TTL = "ERR Invalid TTL value, must be >= 0"
RESTORE_INVALID_IDLETIME = "ERR Invalid IDLETIME value, must be >= 0"
RESTORE_INVALID_FREQ = "ERR Invalid FREQ value, must be >= 0 and <= 255"
DUMP_STREAM_UNSUPPORTED = "ERR DUMP/RESTORE of stream values is not supported by this engine"
SCRIPTING_UNAVAILABLE = "ERR scripting needs the lupa package (pip install 'redis-lab[scripting]')"
