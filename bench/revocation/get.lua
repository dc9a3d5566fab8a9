-- wrk script: GET a random path from the file named by the first script argument. A second
-- argument "close" sends Connection: close (openssl ocsp answers one request per connection);
-- "seq" walks the paths in order instead (the warm-up: every request is asked once, as a
-- responder that pre-signs everything, like cfssl's, would have it ready).
local paths = {}
local headers = {}
local sequential = false
local n = 0
function init(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  if args[2] == "close" then headers["Connection"] = "close" end
  if args[2] == "seq" then sequential = true end
end
function request()
  n = n + 1
  if sequential then
    return wrk.format("GET", paths[((n - 1) % #paths) + 1], headers)
  end
  return wrk.format("GET", paths[math.random(#paths)], headers)
end
