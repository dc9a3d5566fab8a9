-- wrk: GET /api/v1/recipients/<random address from EMAILS>
local e = {}
for line in io.lines(os.getenv("EMAILS")) do e[#e + 1] = line end
math.randomseed(7)
request = function()
  return wrk.format("GET", "/api/v1/recipients/" .. e[math.random(#e)])
end
