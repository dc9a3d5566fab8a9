-- wrk script: POST random nonce-less DER OCSP requests read from the file named by the first
-- argument (each after a 2-byte big-endian length), to the path in the second; a third argument
-- "close" sends Connection: close (openssl ocsp answers one request per connection).
local bodies = {}
local path = "/"
local headers = {["Content-Type"] = "application/ocsp-request"}
function init(args)
  local f = assert(io.open(args[1], "rb"))
  local data = f:read("*a")
  f:close()
  local i = 1
  while i < #data do
    local len = data:byte(i) * 256 + data:byte(i + 1)
    bodies[#bodies + 1] = data:sub(i + 2, i + 1 + len)
    i = i + 2 + len
  end
  path = args[2] or "/"
  if args[3] == "close" then headers["Connection"] = "close" end
end
function request()
  return wrk.format("POST", path, headers, bodies[math.random(#bodies)])
end
