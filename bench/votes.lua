-- wrk script for bench/votes.py: voters cast votes through the ballot API, one concept a request.
--
--   wrk -t2 -c10 -d10s --latency -s bench/votes.lua http://127.0.0.1:8000 -- \
--       SLUG VOTERS_FILE LOG_PREFIX OFFSET THREADS VOTES CONCEPT_ID...
--
-- VOTERS_FILE has one voter a line, "<user id> <personal access token>". The requests are numbered over all
-- threads from OFFSET (thread t of THREADS sends OFFSET + t, OFFSET + t + THREADS, ...); request k is
--
--   PUT /api/v1/challenges/SLUG/ballot/votes/<concept>   Authorization: Bearer <token of voter k mod V>
--
-- for the (k div V mod VOTES)-th of that voter's VOTES concepts (CONCEPT_ID number voter * VOTES + that, round
-- the list). So the voters take turns, a voter's requests name at most VOTES distinct concepts and each fits
-- the ballot: a voter's fourth request gives their first concept the same vote again (200, nothing changes).
--
-- Each request carries an X-Request-ID "u<user id>-c<concept>-<k>", which the app echoes in its answer.
-- response() counts 200s, 409 vote-limit-reached, 429s and the rest, and writes to LOG_PREFIX-<thread>.log one
-- line per request sent ("sent <id>") and one per answer ("<status> <id>"), from which bench/votes.py checks
-- the ballots stored against the answers. done() prints the counts and the latency percentiles (µs) as JSON.

local all_threads = {}

-- In each thread's state (set by setup() or init()):
local voters = {}
local concepts = {}
local base = ""
local offset, nthreads, votes = 0, 1, 1
local sent = 0
local log = nil
ok, limit, throttled, other, answered = 0, 0, 0, 0, 0

function setup(thread)
  thread:set("id", #all_threads)
  all_threads[#all_threads + 1] = thread
end

function init(args)
  local slug, voters_file, prefix = args[1], args[2], args[3]
  offset, nthreads, votes = tonumber(args[4]), tonumber(args[5]), tonumber(args[6])
  for i = 7, #args do
    concepts[#concepts + 1] = args[i]
  end
  for line in io.lines(voters_file) do
    local user, token = line:match("^(%d+) (%S+)$")
    if user then
      voters[#voters + 1] = { user = user, token = token }
    end
  end
  assert(#voters > 0 and #concepts > 0, "votes.lua: no voters or no concepts")
  base = "/api/v1/challenges/" .. slug .. "/ballot/votes/"
  log = assert(io.open(string.format("%s-%d.log", prefix, id), "w"))
end

function request()
  local k = offset + sent * nthreads + id
  sent = sent + 1
  local index = k % #voters
  local choice = math.floor(k / #voters) % votes
  local concept = concepts[(index * votes + choice) % #concepts + 1]
  local voter = voters[index + 1]
  local request_id = "u" .. voter.user .. "-c" .. concept .. "-" .. k
  log:write("sent ", request_id, "\n")
  local headers = {
    ["Authorization"] = "Bearer " .. voter.token,
    ["X-Request-ID"] = request_id,
    ["Accept"] = "application/json",
  }
  return wrk.format("PUT", base .. concept, headers, "") -- "": Content-Length: 0, no body (one vote)
end

function response(status, headers, body)
  answered = answered + 1
  if status == 200 then
    ok = ok + 1
  elseif status == 409 and body and body:find("vote-limit-reached", 1, true) then
    limit = limit + 1
  elseif status == 429 then
    throttled = throttled + 1
  else
    other = other + 1
  end
  log:write(status, " ", headers["x-request-id"] or headers["X-Request-ID"] or "-", "\n")
end

function done(summary, latency, _requests)
  local counts = { ok = 0, limit = 0, throttled = 0, other = 0, answered = 0 }
  for _, thread in ipairs(all_threads) do
    for name in pairs(counts) do
      counts[name] = counts[name] + (thread:get(name) or 0)
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d, ' ..
    '"status": %d, "ok": %d, "limit": %d, "throttled": %d, "other": %d, "answered": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, errors.connect, errors.read, errors.write, errors.timeout,
    errors.status, counts.ok, counts.limit, counts.throttled, counts.other, counts.answered,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
