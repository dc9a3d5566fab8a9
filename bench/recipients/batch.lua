-- wrk: POST /api/v1/recipients with 1,000 random addresses from EMAILS
local e = {}
for line in io.lines(os.getenv("EMAILS")) do e[#e + 1] = line end
math.randomseed(11)
request = function()
  local parts = {}
  for i = 1, 1000 do parts[i] = '"' .. e[math.random(#e)] .. '"' end
  local body = '{"emails":[' .. table.concat(parts, ",") .. ']}'
  return wrk.format("POST", "/api/v1/recipients", {["Content-Type"] = "application/json"}, body)
end
