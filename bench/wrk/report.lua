-- wrk script: plain GET of the URL given on the command line, reporting like the others.
-- In done() it prints one line that bench/http-baseline reads:
--   BENCH_JSON {"requests":…,"requests_per_s":…,"p50_ms":…,"p99_ms":…,"errors":…}
-- Other scripts dofile() this one and add to it.
--
-- Error responses are wrk's own count (status >= 400), not a Lua response() callback:
-- handing every response to Lua cut throughput by a third on a hello-world Beast server on
-- our 2 cores. A 3xx is therefore not counted; bench/http-baseline checks each endpoint's
-- status once before the run instead.

local function ms(microseconds)
  return microseconds / 1000.0
end

function done(summary, latency, requests)
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_s":%.3f,"requests_per_s":%.1f,' ..
    '"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,' ..
    '"error_responses":%d,"socket_errors":%d,"errors":%d}\n',
    summary.requests, seconds, summary.requests / seconds,
    ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(99)),
    ms(latency.max), e.status, socket_errors, e.status + socket_errors))
end
