-- wrk script: POST the DER OCSP request (with a nonce) in the file named by the first argument
-- to the path in the second; a third argument "close" sends Connection: close.
function init(args)
  local f = assert(io.open(args[1], "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/ocsp-request"
  if args[3] == "close" then wrk.headers["Connection"] = "close" end
  wrk.path = args[2] or "/"
end
