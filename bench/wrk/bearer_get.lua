-- wrk script: GET the URL with "Authorization: Bearer $BENCH_TOKEN" (a personal access
-- token, from `oploop token add`), reporting through report.lua beside this file.

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")

local token = os.getenv("BENCH_TOKEN")
if token == nil or token == "" then
  error("BENCH_TOKEN is not set: bench/wrk/bearer_get.lua needs a bearer token")
end
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Accept"] = "application/json"
