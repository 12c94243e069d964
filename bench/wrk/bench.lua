-- wrk script for the overhead benchmark.
-- Adds the bearer token (BENCH_TOKEN, when set) and the W3C baggage a k6 run would send, so the kit does its
-- full per-request work (baggage parsing, bounded test-id label); prints one machine-readable summary line.
local token = os.getenv("BENCH_TOKEN")
if token ~= nil and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
-- BENCH_BAGGAGE=none sends no baggage: production traffic, which keeps the profiler in its steady bursts (a k6
-- test id switches it to dense sampling for the test's window).
local baggage = os.getenv("BENCH_BAGGAGE") or "k6.testid=bench-overhead,k6.scenario=wrk,k6.name=list"
if baggage ~= "none" then
  wrk.headers["baggage"] = baggage
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    "BENCH requests=%d duration_us=%d errors=%d non2xx=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, errors, summary.errors.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
