-- wrk script: PUT a different PPWP sheet on every request, from a prepared file of
-- "<path> <json body>" lines. Each wrk thread starts at its own offset.
local items = {}
local counter = 0
local thread_count = 0

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  for line in io.lines(args[1]) do
    local path, body = line:match("^(%S+) (.*)$")
    items[#items + 1] = { path, body }
  end
  -- A third argument numbers the wrk process when several run at once (one per server).
  local runner = tonumber(args[3] or "0")
  counter = ((id or 0) + runner) * math.floor(#items / 2)
  wrk.headers["Authorization"] = "Bearer " .. args[2]
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local item = items[(counter % #items) + 1]
  return wrk.format("PUT", item[1], nil, item[2])
end
