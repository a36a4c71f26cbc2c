-- GET <path prefix><key prefix><i> with i uniform at random in [0, n): reads back what bench/run-million.sh wrote.
-- Usage: wrk ... -s bench/get-range.lua URL -- N PATH_PREFIX KEY_PREFIX   (e.g. 1000000 /api?key= m)
local n, path
function init(args)
  n = tonumber(args[1])
  path = (args[2] or "/api?key=") .. (args[3] or "m")
  math.randomseed(os.time() + (id or 0))
end
function request()
  return wrk.format("GET", path .. math.random(0, n - 1))
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("READBACK requests=%d non2xx=%d errors=%d p99_ms=%.3f\n", summary.requests, e.status,
    e.connect + e.read + e.write + e.timeout, latency:percentile(99) / 1000))
end
