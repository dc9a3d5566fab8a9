-- wrk script: GET a random path from the file named by the first script argument; a second
-- argument "close" sends Connection: close (openssl ocsp answers one request per connection).
local paths = {}
local headers = {}
function init(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  if args[2] == "close" then headers["Connection"] = "close" end
end
function request()
  return wrk.format("GET", paths[math.random(#paths)], headers)
end
