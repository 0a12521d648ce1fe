-- wrk script: GET paths picked at random from a targets file ("session<TAB>path"
-- per line), each with its session cookie; stop after a number of requests;
-- print one JSON line of results for bench/load/report.py.
--
--   wrk -t2 -c8 -d20s -s bench/load/pages.lua http://127.0.0.1:8971 -- NAME FILE MAX
local targets = {}
name = "page"  -- global: done() reads it from a thread with thread:get
max_requests = 0  -- per thread; 0 = no cap
local threads = {}
counter = 0  -- per thread (each wrk thread has its own Lua state)
not_ok = 0   -- responses other than 200 (wrk itself counts only >= 400)

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  name = args[1]
  max_requests = tonumber(args[3]) or 0
  for line in io.lines(args[2]) do
    local cookie, path = line:match("^(%S+)\t(%S+)$")
    if path then
      table.insert(targets, { cookie = cookie, path = path })
    end
  end
  math.randomseed(os.time())
end

function request()
  local t = targets[math.random(#targets)]
  local headers = { ["X-Forwarded-Proto"] = "https", ["Accept-Language"] = "vi" }
  if t.cookie ~= "-" then
    headers["Cookie"] = "sessionid=" .. t.cookie
  end
  return wrk.format("GET", t.path, headers)
end

function response(status, headers, body)
  counter = counter + 1
  if status ~= 200 then
    not_ok = not_ok + 1
  end
  if max_requests > 0 and counter >= max_requests then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local bad, capped = 0, false
  name = threads[1]:get("name")  -- done() runs in the main Lua state, without init's args
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("not_ok")
    -- A thread stopped by the cap leaves wrk's clock running (rps understated)
    -- and its in-flight requests counted as timeouts.
    capped = capped or (thread:get("max_requests") > 0 and thread:get("counter") >= thread:get("max_requests"))
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"page": "%s", "requests": %d, "seconds": %.2f, "rps": %.1f, "p50_ms": %.2f, ' ..
    '"p95_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, "not_200": %d, "socket_errors": %d, "capped": %s}\n',
    name, summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    bad, e.connect + e.read + e.write + e.timeout, tostring(capped)))
end
