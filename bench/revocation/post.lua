-- wrk script: POST the DER OCSP request (with a nonce) in the file named by the first argument.
function init(args)
  local f = assert(io.open(args[1], "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/ocsp-request"
  wrk.path = args[2] or "/"
end
