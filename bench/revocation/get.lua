-- wrk script: GET a random path from the file named by the first script argument.
local paths = {}
function init(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
end
function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
