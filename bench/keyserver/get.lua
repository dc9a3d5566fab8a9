-- wrk script: op=get&options=mr by random v4 fingerprint from FPRS (one per line).
local f = {}
for line in io.lines(os.getenv("FPRS")) do f[#f + 1] = line end
math.randomseed(42)
request = function()
  return wrk.format("GET", "/pks/lookup?op=get&options=mr&search=0x" .. f[math.random(#f)])
end
