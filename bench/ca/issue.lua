-- wrk script: POST issuance requests; args: file of JSON bodies (one per line), admin token.
local bodies = {}
local headers = {["Content-Type"] = "application/json"}
local n = 0
function init(args)
  for line in io.lines(args[1]) do
    bodies[#bodies + 1] = line
  end
  headers["Authorization"] = "Bearer " .. args[2]
end
function request()
  n = n + 1
  return wrk.format("POST", nil, headers, bodies[(n % #bodies) + 1])
end
-- Every answer must be 201; wrk reports anything else as Non-2xx (201 counts as 2xx).
