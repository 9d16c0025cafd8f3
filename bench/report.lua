-- wrk script for bench/run.py: cycles through the paths given after `--` (one path when none are given), sends
-- Accept-Language: nb, and when done prints one line of JSON with the counts and the latency percentiles (µs).
--
--   wrk -t2 -c10 -d8s --latency -s bench/report.lua http://127.0.0.1:8000 -- /challenges/a /challenges/b

local requests = {}
local counter = 0
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  wrk.headers["Accept-Language"] = "nb"
  for _, path in ipairs(args) do
    requests[#requests + 1] = wrk.format("GET", path)
  end
  if #requests == 0 then
    requests[1] = wrk.format("GET", wrk.path)
  end
  -- Each thread starts at another place in the list, so the threads do not ask for the same page at once.
  counter = (id or 0) * 7 % #requests
end

function request()
  counter = counter + 1
  return requests[(counter - 1) % #requests + 1]
end

function done(summary, latency, _requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, errors.connect, errors.read, errors.write,
    errors.status, errors.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max))
end
