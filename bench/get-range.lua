-- GET <path prefix><key prefix><i> with i uniform at random in [0, n): reads back what bench/run-million.sh wrote.
-- Usage: wrk ... -s bench/get-range.lua URL -- N PATH_PREFIX KEY_PREFIX   (e.g. 1000000 /api?key= m)
-- Prints one READBACK line: requests, non-2xx answers (and their statuses), errors, p99.
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
local n, path
function init(args)
  n = tonumber(args[1])
  path = (args[2] or "/api?key=") .. (args[3] or "m")
  math.randomseed(os.time() + (id or 0))
  statuses = {}
end
function request()
  return wrk.format("GET", path .. math.random(0, n - 1))
end
function response(status, headers, body)
  if status >= 300 then statuses[status] = (statuses[status] or 0) + 1 end
end
function done(summary, latency, requests)
  local e = summary.errors
  local seen = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for k, v in pairs(s or {}) do seen[k] = (seen[k] or 0) + v end
  end
  local text = ""
  for k, v in pairs(seen) do text = text .. string.format(" %d:%d", k, v) end
  io.write(string.format("READBACK requests=%d non2xx=%d errors=%d p99_ms=%.3f statuses=[%s ]\n", summary.requests, e.status,
    e.connect + e.read + e.write + e.timeout, latency:percentile(99) / 1000, text))
end
