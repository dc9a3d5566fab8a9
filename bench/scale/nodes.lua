-- wrk script for a cluster: each wrk thread connects to one node, round-robin over the ports in
-- PORTS (comma-separated, on 127.0.0.1), the way an L4 load balancer spreads connections; each
-- request GETs a random line of the file PATHS. Run with -t a multiple of the node count.
local addrs = {}
local next_thread = 0
function setup(thread)
  if #addrs == 0 then
    for port in string.gmatch(os.getenv("PORTS"), "%d+") do
      addrs[#addrs + 1] = wrk.lookup("127.0.0.1", port)[1]
    end
  end
  thread.addr = addrs[next_thread % #addrs + 1]
  next_thread = next_thread + 1
end

local paths = {}
function init(args)
  for line in io.lines(os.getenv("PATHS")) do
    paths[#paths + 1] = line
  end
  math.randomseed(os.time() + #paths)
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
