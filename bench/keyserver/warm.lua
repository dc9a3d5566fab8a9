-- wrk warm-up script: the same requests as get.lua (KIND=get) or index.lua (KIND=index), but
-- walking the whole list in order (the two wrk threads take alternate entries), so every key is
-- asked for once per pass however slow the machine is. A random warm-up on a loaded machine
-- leaves part of the set never asked, which penalises a server with an answer cache.
local kind = os.getenv("KIND") or "get"
local list = {}
for line in io.lines(kind == "get" and os.getenv("FPRS") or os.getenv("EMAILS")) do
  list[#list + 1] = line
end
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
local counter = 0
function init(args)
  counter = id
end
request = function()
  local v = list[(counter % #list) + 1]
  counter = counter + 2
  if kind == "get" then
    return wrk.format("GET", "/pks/lookup?op=get&options=mr&search=0x" .. v)
  end
  return wrk.format("GET", "/pks/lookup?op=index&options=mr&fingerprint=on&search="
    .. v:gsub("@", "%%40"))
end
