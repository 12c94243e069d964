-- Paced load for wrk: each connection waits PACE_MS before each request, so that N connections send about
-- N * 1000 / (PACE_MS + latency) requests per second. A stand-in for an open-loop generator (none is installed
-- here): at sub-millisecond latencies the rate is close to fixed; a stall delays the next request of that
-- connection (coordinated omission), so p99 under stalls reads low, not high.
local pace = tonumber(os.getenv("PACE_MS") or "5")
function delay()
  return pace
end
