-- wrk script: op=index&options=mr by random e-mail address from EMAILS (what gpg --search-keys sends).
local e = {}
for line in io.lines(os.getenv("EMAILS")) do e[#e + 1] = line end
math.randomseed(43)
request = function()
  local a = e[math.random(#e)]:gsub("@", "%%40")
  return wrk.format("GET", "/pks/lookup?op=index&options=mr&fingerprint=on&search=" .. a)
end
