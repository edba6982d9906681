-- clusterix membership protocol: the one copy of the Lua that every backend runs (EVALSHA, EVAL on NOSCRIPT).
--
-- KEYS[1] heartbeats   sorted set: member = node id, score = Redis server time (ms) of its last heartbeat;
--                      score 0 marks a node that left gracefully and waits to be reported by a survivor
-- KEYS[2] owners       hash: node id -> incarnation that currently owns the id
-- KEYS[3] incarnations string: counter, INCR'd once per successful join (fencing token source)
-- All three share one hash tag, so the script is valid on Redis Cluster.
--
-- ARGV[1] operation: join | tick | nodes | leave;  the rest depends on the operation (see each function).
-- Every reply is a flat array of strings; the first element is a status word, the second the server time (ms).
-- Time comes only from redis.call('TIME'); no client clock is trusted.

if redis.replicate_commands then
  -- Redis < 5 needs this before writing after a non-deterministic command (TIME); a no-op later.
  pcall(redis.replicate_commands)
end

local HEARTBEATS, OWNERS, COUNTER = KEYS[1], KEYS[2], KEYS[3]

-- Runs a command against one of our keys; a key that holds another type fails the whole script with an
-- error naming the key, before the script has written anything (reads are always done before writes).
local function call(key, expected, ...)
  local reply = redis.pcall(...)
  if type(reply) == 'table' and reply.err then
    local kind = redis.call('TYPE', key).ok
    error({ clusterix = 'CLUSTERIX ' .. reply.err .. ' (key ' .. key .. ' is a ' .. kind .. ', clusterix expects a '
      .. expected .. '; another program uses this key: give clusterix another keyPrefix or id, or delete the key)' })
  end
  return reply
end

local function fmt(n)
  return string.format('%.0f', n)
end

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

-- Removes up to `limit` nodes whose last heartbeat is older than `timeout` ms and returns them as
-- (id, incarnation, reason) triples appended to `out`. Atomic: each dead node is claimed by exactly one caller.
local function reap(timeout, limit, out)
  if limit <= 0 then
    return out
  end
  local dead = call(HEARTBEATS, 'zset', 'ZRANGEBYSCORE', HEARTBEATS, '-inf', '(' .. fmt(now - timeout),
    'WITHSCORES', 'LIMIT', 0, limit)
  for i = 1, #dead, 2 do
    local id = dead[i]
    local owner = call(OWNERS, 'hash', 'HGET', OWNERS, id)
    redis.call('ZREM', HEARTBEATS, id)
    redis.call('HDEL', OWNERS, id)
    out[#out + 1] = id
    out[#out + 1] = owner or '0'
    out[#out + 1] = (tonumber(dead[i + 1]) == 0) and 'left' or 'timeout'
  end
  return out
end

local handlers = {}

function handlers.join()
  -- ARGV: 'join', nodeId, timeout
  -- reply: LIVE   now score owner          another process heartbeats this id: nothing is written
  --        JOINED now incarnation          the id was free
  --        TAKEN  now incarnation previousIncarnation previousReason
  --                                        a stale entry of a dead predecessor was taken over
  local id, timeout = ARGV[2], tonumber(ARGV[3])
  local score = call(HEARTBEATS, 'zset', 'ZSCORE', HEARTBEATS, id)
  local owner = call(OWNERS, 'hash', 'HGET', OWNERS, id)
  if score and tonumber(score) >= now - timeout then
    return { 'LIVE', fmt(now), score, owner or '0' }
  end
  local incarnation = call(COUNTER, 'string holding an integer', 'INCR', COUNTER)
  redis.call('ZADD', HEARTBEATS, fmt(now), id)
  redis.call('HSET', OWNERS, id, incarnation)
  if score then
    return { 'TAKEN', fmt(now), tostring(incarnation), owner or '0', (tonumber(score) == 0) and 'left' or 'timeout' }
  end
  return { 'JOINED', fmt(now), tostring(incarnation) }

end

function handlers.tick()
  -- ARGV: 'tick', nodeId, incarnation, timeout, reapLimit
  -- nodeId '' means poll only. Otherwise the heartbeat is written only while this incarnation owns the id.
  -- reply: status now owner dead...   status: OK | REAPED (the id is free: this node was declared dead)
  --                                         | TAKEN (another incarnation owns the id) | POLL (poll only)
  local id, incarnation, timeout, limit = ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
  local status, owner = 'POLL', ''
  if id ~= '' then
    owner = call(OWNERS, 'hash', 'HGET', OWNERS, id)
    call(HEARTBEATS, 'zset', 'ZSCORE', HEARTBEATS, id)
    if owner == incarnation then
      status = 'OK'
      redis.call('ZADD', HEARTBEATS, fmt(now), id)
    elseif owner then
      status = 'TAKEN'
    else
      status, owner = 'REAPED', ''
    end
  end
  return reap(timeout, limit, { status, fmt(now), owner })

end

function handlers.nodes()
  -- ARGV: 'nodes', timeout   reply: OK now id...   (only nodes whose last heartbeat is at most timeout old)
  local live = call(HEARTBEATS, 'zset', 'ZRANGEBYSCORE', HEARTBEATS, fmt(now - tonumber(ARGV[2])), '+inf')
  table.insert(live, 1, fmt(now))
  table.insert(live, 1, 'OK')
  return live

end

function handlers.leave()
  -- ARGV: 'leave', nodeId, incarnation   reply: LEFT now | GONE now (this incarnation no longer owned the id)
  -- The entry stays, scored 0, so that the next poll of any survivor claims it with reason 'left'.
  local id, incarnation = ARGV[2], ARGV[3]
  local owner = call(OWNERS, 'hash', 'HGET', OWNERS, id)
  call(HEARTBEATS, 'zset', 'ZSCORE', HEARTBEATS, id)
  if owner ~= incarnation then
    return { 'GONE', fmt(now) }
  end
  redis.call('ZADD', HEARTBEATS, 0, id)
  return { 'LEFT', fmt(now) }
end

local handler = handlers[ARGV[1]]
if not handler then
  return redis.error_reply('CLUSTERIX unknown operation ' .. tostring(ARGV[1]))
end
local ok, result = pcall(handler)
if ok then
  return result
end
if type(result) == 'table' and result.clusterix then
  return redis.error_reply(result.clusterix)
end
error(result)
