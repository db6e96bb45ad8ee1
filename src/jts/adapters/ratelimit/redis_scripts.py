"""Lua scripts that make the Redis limiter atomic (run with EVALSHA).

Time is microseconds: Lua numbers are doubles, exact for integers below 2**53, which UNIX
microseconds are (UNIX nanoseconds are not). ``ARGV[1]`` is the time to use, or ``""`` for
Redis ``TIME``; a per-venue high-water mark keeps it from running backwards. Numbers written
back to Redis go through ``%.0f`` because Lua's default formatting keeps only 14 digits.

Every limit is passed as seven arguments ``algo, limit, window_us, p1, p2, weight, margin``
with ``algo`` one of ``S`` (sliding log), ``F`` (fixed window: ``p1`` = alignment) or ``G``
(GCRA: ``p1`` = emission interval, ``p2`` = burst tolerance); ``margin`` units must stay free
after a grant (priority lanes). Each limit also has two keys: its state hash
and (sliding log only) its log sorted set, whose members are ``"<seq>:<weight>"``.
``KEYS[1]`` is the venue's blocks hash: limit state id -> blocked-until, and per key
``k:<key>:limited`` / ``k:<key>:ban`` strike counts and ``k:<key>:at`` (last block start).
"""

from __future__ import annotations

_PRELUDE = r"""
local function fmt(x) return string.format('%.0f', x) end

local function clock()
  local now
  if ARGV[1] ~= '' then
    now = tonumber(ARGV[1])
  else
    local t = redis.call('TIME')
    now = tonumber(t[1]) * 1000000 + tonumber(t[2])
  end
  local last = tonumber(redis.call('HGET', KEYS[1], '_now') or '0')
  if now < last then return last end
  redis.call('HSET', KEYS[1], '_now', fmt(now))
  return now
end

local function keep(key, ttl_us)
  redis.call('PEXPIRE', key, math.ceil(ttl_us / 1000) + 1000)
end

local function log_weight(member) return tonumber(string.match(member, ':(%d+)$')) end

local function sl_used(skey, lkey, window, now)
  local horizon = fmt(now - window)
  local old = redis.call('ZRANGE', lkey, '-inf', horizon, 'BYSCORE')
  local sum = tonumber(redis.call('HGET', skey, 'sum') or '0')
  if #old == 0 then return sum end
  local freed = 0
  for _, member in ipairs(old) do freed = freed + log_weight(member) end
  redis.call('ZREMRANGEBYSCORE', lkey, '-inf', horizon)
  return redis.call('HINCRBY', skey, 'sum', -freed)
end

local function sl_wait(skey, lkey, limit, window, weight, now)
  local excess = sl_used(skey, lkey, window, now) + weight - limit
  if excess <= 0 then return 0 end
  local freed, start = 0, 0
  while true do
    local batch = redis.call('ZRANGE', lkey, start, start + 63, 'WITHSCORES')
    if #batch == 0 then return window end
    for j = 1, #batch, 2 do
      freed = freed + log_weight(batch[j])
      if freed >= excess then return tonumber(batch[j + 1]) + window - now end
    end
    start = start + 64
  end
end

local function sl_commit(skey, lkey, window, weight, now)
  local seq = redis.call('HINCRBY', skey, 'seq', 1)
  redis.call('ZADD', lkey, fmt(now), seq .. ':' .. weight)
  redis.call('HINCRBY', skey, 'sum', weight)
  keep(skey, window)
  keep(lkey, window)
end

local function fw_state(skey, window, align, now)
  local index = math.floor((now - align) / window)
  local stored = redis.call('HMGET', skey, 'w', 'n')
  local stored_index = tonumber(stored[1] or '-1')
  if stored_index >= index then return stored_index, tonumber(stored[2] or '0') end
  return index, 0
end

local function fw_wait(skey, limit, window, align, weight, now)
  local index, count = fw_state(skey, window, align, now)
  if count + weight <= limit then return 0 end
  return (index + 1) * window + align - now
end

local function fw_commit(skey, window, align, weight, now)
  local index, count = fw_state(skey, window, align, now)
  redis.call('HSET', skey, 'w', fmt(index), 'n', fmt(count + weight))
  keep(skey, 2 * window)
end

local function gcra_tat(skey, now)
  return math.max(tonumber(redis.call('HGET', skey, 'tat') or '0'), now)
end

local function gcra_set(skey, tat, now)
  redis.call('HSET', skey, 'tat', fmt(tat))
  keep(skey, tat - now)
end

local N_ARGS = 7

local function limit_args(i)
  local b = 2 + (i - 1) * N_ARGS
  return ARGV[b + 1], tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3]), tonumber(ARGV[b + 4]),
    tonumber(ARGV[b + 5]), tonumber(ARGV[b + 6]), KEYS[2 * i], KEYS[2 * i + 1],
    tonumber(ARGV[b + 7])
end

local function wait_for(i, now)
  local algo, limit, window, p1, p2, weight, skey, lkey, margin = limit_args(i)
  weight = weight + margin
  if algo == 'S' then return sl_wait(skey, lkey, limit, window, weight, now) end
  if algo == 'F' then return fw_wait(skey, limit, window, p1, weight, now) end
  return math.max(0, gcra_tat(skey, now) + weight * p1 - p2 - now)
end

local function commit(i, now)
  local algo, limit, window, p1, p2, weight, skey, lkey = limit_args(i)
  if algo == 'S' then return sl_commit(skey, lkey, window, weight, now) end
  if algo == 'F' then return fw_commit(skey, window, p1, weight, now) end
  gcra_set(skey, gcra_tat(skey, now) + weight * p1, now)
end

local function used(i, now)
  local algo, limit, window, p1, p2, weight, skey, lkey = limit_args(i)
  if algo == 'S' then return sl_used(skey, lkey, window, now) end
  if algo == 'F' then
    local _, count = fw_state(skey, window, p1, now)
    return count
  end
  return math.max(0, gcra_tat(skey, now) - now)
end

local function blocked_for(state_id, now)
  local until_at = tonumber(redis.call('HGET', KEYS[1], state_id) or '0')
  return math.max(0, until_at - now)
end
"""

RESERVE = (
    _PRELUDE
    + r"""
-- ARGV: now, n, n * (algo, limit, window, p1, p2, weight, margin), n * state_id
-- reply: {wait_us, now_us, blocking limit indexes...}
local now = clock()
local n = tonumber(ARGV[2])
local ids = 2 + n * N_ARGS
local wait, blocking = 0, {}
for i = 1, n do
  local needed = math.max(wait_for(i, now), blocked_for(ARGV[ids + i], now))
  if needed > 0 then
    wait = math.max(wait, needed)
    blocking[#blocking + 1] = i
  end
end
if wait > 0 then
  local reply = {wait, now}
  for _, i in ipairs(blocking) do reply[#reply + 1] = i end
  return reply
end
for i = 1, n do commit(i, now) end
return {0, now}
"""
)

FEEDBACK = (
    _PRELUDE
    + r"""
-- ARGV: now, n, n * limit args (weight = venue's used count), observed ('' = now), key,
--       kind (ban|limited|success|other), retry_after_us, base_us, cap_us, block state ids...
local now = clock()
local n = tonumber(ARGV[2])
local b = 3 + n * N_ARGS
local observed = tonumber(ARGV[b]) or now
for i = 1, n do
  local algo, limit, window, p1, p2, count, skey, lkey = limit_args(i)
  count = math.min(count, limit)
  if algo == 'S' then
    local missing = count - sl_used(skey, lkey, window, now)
    if missing > 0 then sl_commit(skey, lkey, window, missing, now) end
  elseif algo == 'F' then
    local index, current = fw_state(skey, window, p1, now)
    if math.floor((observed - p1) / window) == index and count > current then
      redis.call('HSET', skey, 'w', fmt(index), 'n', fmt(count))
      keep(skey, 2 * window)
    end
  else
    gcra_set(skey, math.max(gcra_tat(skey, now), now + count * p1), now)
  end
end
local key, kind = ARGV[b + 1], ARGV[b + 2]
local retry_after, base, cap = tonumber(ARGV[b + 3]), tonumber(ARGV[b + 4]), tonumber(ARGV[b + 5])
local at_field = 'k:' .. key .. ':at'
local started = tonumber(redis.call('HGET', KEYS[1], at_field) or '')
local fresh = started == nil or observed >= started
local duration = retry_after
if kind == 'ban' or kind == 'limited' then
  local field = 'k:' .. key .. ':' .. kind
  local strikes = tonumber(redis.call('HGET', KEYS[1], field) or '0')
  if fresh or strikes == 0 then strikes = redis.call('HINCRBY', KEYS[1], field, 1) end
  duration = math.max(retry_after, math.min(cap, base * 2 ^ (strikes - 1)))
  redis.call('HSET', KEYS[1], at_field, fmt(now))
elseif kind == 'success' and fresh then
  redis.call('HDEL', KEYS[1], 'k:' .. key .. ':limited', 'k:' .. key .. ':ban')
end
if duration > 0 then
  local until_at = now + math.ceil(duration)
  for j = b + 6, #ARGV do
    local current = tonumber(redis.call('HGET', KEYS[1], ARGV[j]) or '0')
    if until_at > current then redis.call('HSET', KEYS[1], ARGV[j], fmt(until_at)) end
  end
  local ttl = redis.call('PTTL', KEYS[1])
  local wanted = math.ceil(duration / 1000) + 86400000
  if ttl < wanted then redis.call('PEXPIRE', KEYS[1], wanted) end
end
return {now}
"""
)

HEADROOM = (
    _PRELUDE
    + r"""
-- ARGV: now, n, n * limit args, n * state_id; reply: {now, used_1, blocked_1, ...}
-- used is units for S and F, backlog microseconds for G.
local now = clock()
local n = tonumber(ARGV[2])
local ids = 2 + n * N_ARGS
local reply = {now}
for i = 1, n do
  reply[#reply + 1] = used(i, now)
  reply[#reply + 1] = blocked_for(ARGV[ids + i], now) > 0 and 1 or 0
end
return reply
"""
)
