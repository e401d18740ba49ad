-- Random exit-data requests over the generated database (16 blocks x 65,536 txs, 2 outputs).
math.randomseed(os.time())
request = function()
  local blknum = math.random(1, 16) * 1000
  local pos = blknum * 1000000000 + math.random(0, 65535) * 10000 + math.random(0, 1)
  return wrk.format("GET", "/v1/outputs/" .. pos .. "/exit-data")
end
response = function(status, headers, body)
  if status ~= 200 then
    io.write("unexpected status " .. status .. "\n")
  end
end
